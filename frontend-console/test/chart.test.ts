import { describe, expect, it } from 'vitest';
import { axisLabels, barHeight, fullDay, hourWindow, niceMax, peakHour, ticks } from '../src/chart';
import type { HourStats } from '../src/protocol';

const hour = (h: number, offered: number, extra: Partial<HourStats> = {}): HourStats => ({
  hour: h,
  offered,
  answered: offered,
  abandoned: 0,
  callbacks: 0,
  waiting: 0,
  medianWaitSeconds: null,
  p90WaitSeconds: null,
  ...extra,
});

describe('chart scales', () => {
  it('rounds the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 23, 140, 251, 999].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 25, 200, 500, 1000]);
    expect(niceMax(0.3)).toBe(0.5);
    expect(niceMax(Number.NaN)).toBe(1);
    expect(ticks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(ticks(25)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(0.5)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(ticks(1, true)).toEqual([0, 1]);
  });

  it('draws bars in proportion, never invisible for a value above zero, never over the top', () => {
    expect(barHeight(5, 10, 140)).toBe(70);
    expect(barHeight(0.01, 10, 140)).toBe(1);
    expect(barHeight(0, 10, 140)).toBe(0);
    expect(barHeight(null, 10, 140)).toBe(0);
    expect(barHeight(30, 10, 140)).toBe(140);
  });

  it('shows office hours at least, widened to every busy hour', () => {
    expect(hourWindow(fullDay([]))).toEqual([8, 18]);
    expect(hourWindow(fullDay([hour(6, 2), hour(21, 1)]))).toEqual([6, 21]);
    expect(hourWindow(fullDay([hour(10, 0, { callbacks: 1 }), hour(19, 0, { abandoned: 1 })]))).toEqual([8, 19]);
  });

  it('fills the day to 24 hours in order and finds the busiest one', () => {
    const day = fullDay([hour(11, 4), hour(9, 7), hour(25, 100), hour(10, 7)]);
    expect(day.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(day[11].offered).toBe(4);
    // an hour the server left out is an empty one, still waiting included
    expect(day[12]).toMatchObject({ offered: 0, answered: 0, abandoned: 0, callbacks: 0, waiting: 0 });
    expect(peakHour(day)?.hour).toBe(9);
    expect(peakHour(fullDay([]))).toBeNull();
  });
});

describe('axis labels', () => {
  it('tell every tick apart, also when waits are a few seconds (an axis in minutes up to 0.2)', () => {
    // a day whose longest p90 wait was 10 s: 10/60 min rounds up to an axis of 0.2 in steps of 0.05
    const values = ticks(niceMax(10.2 / 60));
    expect(axisLabels(values, 'nl')).toEqual(['0', '0,05', '0,1', '0,15', '0,2']);
    expect(axisLabels(values, 'en')).toEqual(['0', '0.05', '0.1', '0.15', '0.2']);
  });

  it('write whole counts without decimals, large ones grouped as the language does', () => {
    expect(axisLabels(ticks(25, true), 'nl')).toEqual(['0', '5', '10', '15', '20', '25']);
    expect(axisLabels(ticks(2500, true), 'nl')).toEqual(['0', '500', '1.000', '1.500', '2.000', '2.500']);
    expect(axisLabels(ticks(2), 'en')).toEqual(['0', '0.5', '1', '1.5', '2']);
  });
});
