// A few lines instead of a framework. Text always goes in as text nodes: nothing the server
// or the resident writes is ever parsed as HTML.

type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'value') (el as unknown as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c == null || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let counter = 0;
export function uid(prefix: string): string {
  return `loket-${prefix}-${++counter}`;
}

/**
 * Whether the focus is still where the user left it in `within`: inside it, or nowhere (on the
 * page's body: a button disabled while its request is on its way loses the focus in the browser).
 * False once the user has moved on to another control, in the widget or on the page.
 */
export function focusStayedIn(within: Element): boolean {
  const inside = (within.getRootNode() as Document | ShadowRoot).activeElement;
  if (inside && inside !== document.body) return within.contains(inside);
  const outer = document.activeElement;
  return !outer || outer === document.body;
}

// a web address in a message: http(s) only, up to a space, a quote or an angle bracket
const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"']+/gi;

/**
 * A message's text with its web addresses as links (opening in a new tab, so the chat stays),
 * everything else as text nodes. A sentence's punctuation after an address, and a closing
 * bracket that does not close one of the address's own, are not part of it.
 */
export function withLinks(text: string): Child[] {
  const parts: Child[] = [];
  let at = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    let url = match[0];
    for (;;) {
      const last = url.at(-1)!;
      if ('.,;:!?'.includes(last)) url = url.slice(0, -1);
      else if (last === ')' && url.split('(').length < url.split(')').length) url = url.slice(0, -1);
      else break;
    }
    const start = match.index!;
    if (url.length <= 'https://'.length) continue;
    parts.push(text.slice(at, start));
    parts.push(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url));
    at = start + url.length;
  }
  parts.push(text.slice(at));
  return parts.filter((p) => p !== '');
}
