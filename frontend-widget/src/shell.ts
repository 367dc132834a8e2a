// The frame every screen lives in: the launcher button, the non-modal dialog with its header
// (title, connection state, close button), the body that holds one screen at a time, and a
// status region for announcements while the panel is closed. All inside a shadow root, so the
// municipal site's styles do not reach in and ours do not leak out.

import { append, clear, h, uid } from './dom';
import type { ConnectionStatus } from './protocol';
import type { Lang, Strings } from './strings';
import css from './widget.css?inline';

const ICON =
  '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

export interface ShellEvents {
  /** The panel opened; the screen that belongs there is put in before focus moves into it. */
  opened(): void;
  closed(): void;
}

/** The longest of some words: the room a line that may say any of them keeps. */
function longest(words: string[]): string {
  return words.reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * The widget's styles. A constructed stylesheet needs no 'unsafe-inline' in the embedding site's
 * Content-Security-Policy (a <style> element would); browsers without one get the element.
 */
function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = h('style');
    style.textContent = css;
    root.append(style);
  }
}

export class Shell {
  private readonly root: ShadowRoot;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly body: HTMLElement;
  private readonly conn: HTMLElement;
  private readonly connText: HTMLElement;
  /** The connection's news for a screen reader: a drop and a return, once each (see `connection`). */
  private readonly connSaid: HTMLElement;
  /** "Geen verbinding" was said and "De verbinding is terug." not yet. */
  private offlineSaid = false;
  private readonly announcer: HTMLElement;

  constructor(private readonly s: Strings, lang: Lang, host: HTMLElement, private readonly events: ShellEvents) {
    this.root = host.attachShadow({ mode: 'open' });
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-haspopup': 'dialog', onclick: () => this.open() });
    this.launcher.innerHTML = ICON; // a constant icon, no outside text
    append(this.launcher, h('span', {}, s.launcher), h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' }));
    const titleId = uid('title');
    // one line of fixed height whatever it says: it reserves the room of its longest words (a
    // hidden copy in the same grid cell, see widget.css), so a drop or a return never moves the
    // conversation, the message box or a button under a resident's finger
    this.conn = h('p', { class: 'conn', hidden: true, 'data-room': longest([s.connOnline, s.connConnecting, s.connOfflineShort, s.connGone]) });
    this.connText = h('span');
    this.conn.append(this.connText);
    this.connSaid = h('span', { class: 'sr-only', role: 'status' });
    this.body = h('div', { class: 'body' });
    this.panel = h(
      'section',
      { class: 'panel', role: 'dialog', 'aria-labelledby': titleId, hidden: true, lang },
      h(
        'header',
        { class: 'head' },
        h('h2', { id: titleId }, s.title),
        this.conn,
        this.connSaid,
        h('button', { type: 'button', class: 'close', 'aria-label': s.closePanel, onclick: () => this.close() }, '×'),
      ),
      this.body,
    );
    this.announcer = h('div', { class: 'sr-only', role: 'status' });
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      }
    });
    const wrap = h('div', { class: 'loket', lang }, this.launcher, this.panel, this.announcer);
    adoptStyles(this.root);
    this.root.append(wrap);
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Nothing on screen yet: the first opening of this page. */
  get isEmpty(): boolean {
    return !this.body.firstChild;
  }

  open(): void {
    this.reveal();
    this.setBadge(false);
    this.events.opened();
    this.focusView();
  }

  /** Open without moving focus: the panel was open before a reload. */
  reveal(): void {
    this.panel.hidden = false;
    this.launcher.hidden = true;
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.events.closed();
    this.launcher.focus();
  }

  setBadge(on: boolean): void {
    (this.launcher.querySelector('.badge') as HTMLElement).hidden = !on;
  }

  /** Said by a screen reader while the panel is closed. */
  announce(text: string): void {
    this.announcer.textContent = text;
  }

  /**
   * The connection line in the header; nothing outside a conversation. A screen reader hears a
   * drop once ("Geen verbinding. …", with what happens to messages typed meanwhile) and the
   * return once ("De verbinding is terug."; the line shows "Verbonden"): not the tries in between, nor a
   * connection replaced while it worked (a phone changing networks).
   */
  connection(st: ConnectionStatus | null): void {
    const s = this.s;
    const back = st === 'online' && this.offlineSaid;
    if (st === 'offline' && !this.offlineSaid) {
      this.offlineSaid = true;
      this.connSaid.textContent = s.connOffline;
    } else if (back) {
      this.offlineSaid = false;
      this.connSaid.textContent = s.connBack;
    } else if (!st || st === 'gone' || st === 'ended') {
      // the conversation is over (its end is said where it shows): a next one starts afresh
      this.offlineSaid = false;
      this.connSaid.textContent = '';
    }
    const text = st === 'online' ? s.connOnline : st === 'connecting' ? s.connConnecting : st === 'gone' ? s.connGone : st === 'offline' ? s.connOfflineShort : '';
    this.conn.hidden = !text;
    if (!st) return;
    this.conn.className = 'conn is-' + st;
    this.connText.textContent = text;
  }

  /** Replace the screen; focus moves to its start when the panel is open and `focus` is set. */
  show(view: HTMLElement, focus = true): void {
    clear(this.body);
    this.body.append(view);
    if (focus && this.isOpen) this.focusView();
  }

  /** Put a screen over the current one, which stays in place (hidden by the caller). */
  cover(view: HTMLElement): void {
    this.body.append(view);
  }

  /** Put focus at the start of the current screen: its heading, or the message box in a chat. */
  focusView(): void {
    // the view on top: a screen covering another (the callback form over the chat) is the last one
    // shown, and the covered one is hidden, so its message box cannot take the focus
    const views = [...this.body.children].filter((v) => !(v as HTMLElement).hidden);
    const view = views[views.length - 1] ?? this.body;
    const target = view.querySelector<HTMLElement>('[data-autofocus]:not([hidden])') ?? view.querySelector<HTMLElement>('h3');
    target?.focus();
  }

  /** Save a file through a hidden link inside the shadow root. */
  download(url: string, filename: string): void {
    const a = h('a', { href: url, download: filename, hidden: true });
    this.root.append(a);
    a.click();
    a.remove();
  }
}
