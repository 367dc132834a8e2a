import { resolve } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

// The widget is split by screen (issue 13); these keep the split from growing back into a knot.
const here = resolve(import.meta.dirname, '..');

async function tree() {
  return parseDependencyTree('src/**/*.ts', {
    cwd: here,
    context: here,
    transform: false, // type-only imports count too: a cycle of types is still a cycle to read
    skipDynamicImports: false,
  });
}

/** Which src modules each src module imports, as paths relative to src/. */
async function imports(): Promise<Record<string, string[]>> {
  const deps = await tree();
  const out: Record<string, string[]> = {};
  for (const [file, list] of Object.entries(deps)) {
    if (!file.startsWith('src/')) continue;
    out[file.slice(4)] = (list ?? []).map((d) => d.id).filter((id): id is string => !!id && id.startsWith('src/')).map((id) => id.slice(4));
  }
  return out;
}

describe('module structure', () => {
  it('has no import cycle', async () => {
    expect(parseCircular(await tree())).toEqual([]);
  });

  it('keeps each screen to itself: no screen imports the flow, the shell or another screen but the end of a chat', async () => {
    const graph = await imports();
    const screens = Object.keys(graph).filter((f) => f.startsWith('screens/'));
    expect(screens.length).toBeGreaterThanOrEqual(6);
    for (const screen of screens) {
      const allowed = (dep: string) => !dep.startsWith('screens/') || (screen === 'screens/chat.ts' && dep === 'screens/ended.ts');
      expect(graph[screen].filter((dep) => dep === 'widget.ts' || dep === 'shell.ts' || dep === 'main.ts' || !allowed(dep)), screen).toEqual([]);
    }
  });

  it('keeps the protocol client free of the DOM-building modules', async () => {
    const graph = await imports();
    // only the back-off of retries, which imports nothing itself
    expect(graph['protocol.ts']).toEqual(['retry.ts']);
    expect(graph['retry.ts']).toEqual([]);
  });
});
