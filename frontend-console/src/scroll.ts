// Where the agent was in each conversation's transcript. In tab mode the panel of a conversation
// is built anew whenever the agent switches to it; without this a transcript they had scrolled up
// in came back at the bottom, and older messages they were reading were gone from view.

/** The part of an element's scrolling this needs (an HTMLElement has it; tests give plain objects). */
export interface ScrollBox {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

/** Within this many pixels of the bottom counts as at the bottom (a wheel rarely lands exactly). */
export const AT_BOTTOM_PX = 40;

export function isAtBottom(el: ScrollBox): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM_PX;
}

/**
 * The scroll positions of the transcripts, by conversation: a position while scrolled up; at the
 * bottom nothing, so a transcript that grew meanwhile comes back at its new bottom.
 */
export class ScrollPositions {
  private readonly tops = new Map<string, number>();

  remember(id: string, el: ScrollBox): void {
    if (isAtBottom(el)) this.tops.delete(id);
    else this.tops.set(id, el.scrollTop);
  }

  /** Puts a transcript built anew where the agent left it; says whether that is its bottom. */
  restore(id: string, el: ScrollBox): boolean {
    const top = this.tops.get(id);
    el.scrollTop = top ?? el.scrollHeight;
    return top === undefined;
  }

  /** Keeps only the conversations still on screen. */
  keep(ids: string[]): void {
    for (const id of [...this.tops.keys()]) if (!ids.includes(id)) this.tops.delete(id);
  }
}
