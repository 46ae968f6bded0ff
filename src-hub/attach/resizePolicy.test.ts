// Resizes: the first applies at once, a burst collapses into its last size.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResizeDebouncer } from './resizePolicy.js';

describe('ResizeDebouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies the first size at once and coalesces a burst into the last one', () => {
    const applied: string[] = [];
    const debouncer = new ResizeDebouncer(
      250,
      (cols, rows) => applied.push(`${cols}x${rows}`),
      () => Date.now(),
    );
    debouncer.request(80, 24);
    debouncer.request(81, 24);
    debouncer.request(82, 25);
    expect(applied).toEqual(['80x24']);
    vi.advanceTimersByTime(250);
    expect(applied).toEqual(['80x24', '82x25']);
    vi.advanceTimersByTime(1000);
    expect(applied).toHaveLength(2);
  });

  it('stops a pending resize on dispose', () => {
    const applied: string[] = [];
    const debouncer = new ResizeDebouncer(
      250,
      (cols, rows) => applied.push(`${cols}x${rows}`),
      () => Date.now(),
    );
    debouncer.request(80, 24);
    debouncer.request(100, 30);
    debouncer.dispose();
    vi.advanceTimersByTime(1000);
    expect(applied).toEqual(['80x24']);
  });
});
