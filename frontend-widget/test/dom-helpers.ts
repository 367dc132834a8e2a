/** What assistive technology reads as an element's description: the text of its aria-describedby targets. */
export function description(el: Element): string {
  const root = el.getRootNode() as Document | ShadowRoot;
  return (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id)?.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

/** Visible text with runs of white space collapsed, as a reader sees it. */
export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Let pending promise callbacks run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
