import { useState } from 'preact/hooks';
import { loadJson, saveJson } from '../session';

/** The sections of a view (Teamleider, Beheer): buttons that mark the current one, kept over a reload. */
export function useSection<S extends string>(key: string, sections: readonly S[]): [S, (s: S) => void] {
  const [section, setSection] = useState<S>(() => {
    const stored = loadJson<unknown>('section.' + key, null);
    return sections.includes(stored as S) ? (stored as S) : sections[0];
  });
  return [
    section,
    (s: S) => {
      setSection(s);
      saveJson('section.' + key, s);
    },
  ];
}

export function SubNav<S extends string>(props: { label: string; sections: readonly S[]; current: S; names: Record<S, string>; onChange(s: S): void }) {
  return (
    <nav class="subnav" aria-label={props.label}>
      <ul>
        {props.sections.map((s) => (
          <li>
            <button
              type="button"
              class={'subnav-button' + (s === props.current ? ' current' : '')}
              aria-current={s === props.current ? 'page' : undefined}
              onClick={() => props.onChange(s)}
            >
              {props.names[s]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
