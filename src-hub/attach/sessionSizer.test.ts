// The latest-client rule: the newest request holds; its owner leaving hands the size to the newest wish.
import { describe, expect, it } from 'vitest';
import { SessionSizer } from './sessionSizer.js';

function sizer() {
  const applied: string[] = [];
  // A zero window applies every request at once, so the rule is seen without timers.
  const subject = new SessionSizer(
    0,
    (cols, rows) => applied.push(`${cols}x${rows}`),
    () => 0,
  );
  return { subject, applied };
}

describe('SessionSizer', () => {
  it('follows the newest remaining wish when the setter leaves', () => {
    const { subject, applied } = sizer();
    subject.request(100, 30, 'a');
    subject.wish('b', 90, 20);
    subject.request(120, 40, 'c');
    subject.forget('c');
    expect(applied).toEqual(['100x30', '120x40', '90x20']);
    expect(subject.latestWish()).toEqual({ cols: 90, rows: 20 });
  });

  it('changes nothing when a client that is not the setter leaves, or when nobody is left', () => {
    const { subject, applied } = sizer();
    subject.request(100, 30, 'a');
    subject.wish('b', 90, 20);
    subject.forget('b');
    subject.forget('unknown');
    expect(applied).toEqual(['100x30']);
    subject.forget('a');
    expect(applied).toEqual(['100x30']);
    expect(subject.latestWish()).toBeUndefined();
  });

  it('counts a renewed wish as the newest', () => {
    const { subject, applied } = sizer();
    subject.wish('a', 70, 20);
    subject.wish('b', 80, 24);
    subject.wish('a', 75, 22);
    subject.request(130, 40, 'c');
    subject.forget('c');
    expect(applied).toEqual(['130x40', '75x22']);
  });

  it('a size set without a client (from inside the hub) has no setter to leave', () => {
    const { subject, applied } = sizer();
    subject.wish('a', 70, 20);
    subject.request(100, 30);
    subject.forget('a');
    expect(applied).toEqual(['100x30']);
  });
});
