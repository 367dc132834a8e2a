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
