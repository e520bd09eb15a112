import { describe, expect, it } from 'vitest';
import { median, pairedRatios, percentile, spread } from '../../../scripts/bench/stats';

describe('stats', () => {
  it('takes the middle of an odd series and the mean of the two middles of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reads a percentile from a sorted series', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(51);
    expect(percentile(sorted, 99)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('sums a series up as its median and range', () => {
    expect(spread([1.2, 0.9, 1.5])).toEqual({ median: 1.2, min: 0.9, max: 1.5 });
  });

  it('divides pair by pair, and refuses series that do not pair', () => {
    expect(pairedRatios([2, 3], [1, 2])).toEqual([2, 1.5]);
    expect(() => pairedRatios([2, 3], [1])).toThrow('2 measurements against 1: they do not pair');
  });
});
