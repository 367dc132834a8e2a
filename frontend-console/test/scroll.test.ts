import { describe, expect, it } from 'vitest';
import { AT_BOTTOM_PX, ScrollPositions, isAtBottom } from '../src/scroll';

// a transcript's box: 300 px shown of `height`
const box = (height: number, top: number) => ({ scrollTop: top, scrollHeight: height, clientHeight: 300 });

describe('scroll positions per conversation', () => {
  it('counts the last few pixels as the bottom', () => {
    expect(isAtBottom(box(1000, 700))).toBe(true);
    expect(isAtBottom(box(1000, 700 - AT_BOTTOM_PX + 1))).toBe(true);
    expect(isAtBottom(box(1000, 700 - AT_BOTTOM_PX))).toBe(false);
  });

  it('puts a transcript built anew (a switch of tabs) where the agent left it', () => {
    const positions = new ScrollPositions();
    positions.remember('c1', box(1000, 120));
    const rebuilt = box(1100, 0);
    expect(positions.restore('c1', rebuilt)).toBe(false);
    expect(rebuilt.scrollTop).toBe(120);
  });

  it('puts one left at its bottom, or never scrolled, at its new bottom', () => {
    const positions = new ScrollPositions();
    positions.remember('c1', box(1000, 120));
    positions.remember('c1', box(1000, 700));
    const grown = box(1400, 0);
    expect(positions.restore('c1', grown)).toBe(true);
    expect(grown.scrollTop).toBe(1400);
    const fresh = box(500, 0);
    expect(positions.restore('c2', fresh)).toBe(true);
    expect(fresh.scrollTop).toBe(500);
  });

  it('forgets conversations no longer on screen', () => {
    const positions = new ScrollPositions();
    positions.remember('c1', box(1000, 120));
    positions.remember('c2', box(1000, 80));
    positions.keep(['c2']);
    const c1 = box(1000, 0);
    const c2 = box(1000, 0);
    expect(positions.restore('c1', c1)).toBe(true);
    expect(positions.restore('c2', c2)).toBe(false);
    expect(c2.scrollTop).toBe(80);
  });
});
