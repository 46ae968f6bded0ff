// The input lease as pure state: auto-grant, queueing, owner grant and take-over, idle expiry.
import { describe, expect, it } from 'vitest';
import { HubError } from '../../src-protocol/index.js';
import { InputLease, type LeaseChange } from './inputLease.js';

function lease(idleMs = 1000) {
  let now = 0;
  const changes: LeaseChange[] = [];
  const subject = new InputLease(
    () => now,
    idleMs,
    (change) => changes.push(change),
  );
  return { subject, changes, advance: (ms: number) => (now += ms) };
}

describe('InputLease', () => {
  it('grants the first driver automatically and refuses a second one', () => {
    const { subject, changes } = lease();
    subject.admitDriverInput('a');
    expect(subject.holder).toBe('a');
    expect(changes.at(-1)?.reason).toBe('auto');
    expect(() => subject.admitDriverInput('b')).toThrow(HubError);
    try {
      subject.admitDriverInput('b');
    } catch (error) {
      expect((error as HubError).code).toBe('lease_held');
    }
  });

  it('queues requests and lets the owner grant one', () => {
    const { subject, changes } = lease();
    subject.request('a');
    subject.request('b');
    subject.request('c');
    expect(subject.pending).toEqual(['b', 'c']);
    expect(changes.at(-1)).toEqual({ holder: 'a', pending: ['b', 'c'], reason: 'requested' });
    subject.grant('c');
    expect(subject.holder).toBe('c');
    expect(subject.pending).toEqual(['b']);
  });

  it('lets the owner take over, and frees on release', () => {
    const { subject } = lease();
    subject.admitDriverInput('a');
    subject.take('owner');
    expect(() => subject.admitDriverInput('a')).toThrow(/lease/);
    subject.release('a'); // not the holder: nothing happens
    expect(subject.holder).toBe('owner');
    subject.release('owner');
    expect(subject.holder).toBeNull();
  });

  it('expires only after the holder has been idle for the whole window', () => {
    const { subject, advance, changes } = lease(1000);
    subject.admitDriverInput('a');
    advance(900);
    subject.admitDriverInput('a'); // typing renews
    advance(900);
    expect(subject.expireIfIdle()).toBe(false);
    advance(100);
    expect(subject.expireIfIdle()).toBe(true);
    expect(subject.holder).toBeNull();
    expect(changes.at(-1)?.reason).toBe('expired');
  });

  it("hands an idle holder's lease to the first who asked (issue 10)", () => {
    const { subject, advance, changes } = lease(1000);
    subject.admitDriverInput('a');
    subject.request('b');
    subject.request('c');
    advance(1000);
    expect(subject.expireIfIdle()).toBe(true);
    expect(subject.holder).toBe('b');
    expect(subject.pending).toEqual(['c']);
    expect(changes.at(-1)).toEqual({ holder: 'b', pending: ['c'], reason: 'expired' });
  });

  it('forgets a client that leaves, holder or queued', () => {
    const { subject } = lease();
    subject.request('a');
    subject.request('b');
    subject.forget('b');
    expect(subject.pending).toEqual([]);
    subject.forget('a');
    expect(subject.holder).toBeNull();
  });
});
