// The event primitives: listeners come and go by their disposables, and a store releases in reverse.
import { describe, expect, it } from 'vitest';
import { DisposableStore, Emitter } from './events.js';

describe('Emitter', () => {
  it('calls each listener with the value until its disposable is disposed', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const first = emitter.event((value) => seen.push(`a${value}`));
    emitter.event((value) => seen.push(`b${value}`));
    emitter.fire(1);
    first.dispose();
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(emitter.listenerCount).toBe(1);
  });

  it('counts the same function subscribed twice as two subscriptions', () => {
    const emitter = new Emitter<void>();
    let calls = 0;
    const listener = () => void calls++;
    const one = emitter.event(listener);
    emitter.event(listener);
    one.dispose();
    emitter.fire();
    expect(calls).toBe(1);
  });

  it('ignores subscriptions after dispose, and fires to nobody', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    emitter.event((value) => seen.push(value));
    emitter.dispose();
    emitter.event((value) => seen.push(value));
    emitter.fire('late');
    expect(seen).toEqual([]);
    expect(emitter.listenerCount).toBe(0);
  });
});

describe('DisposableStore', () => {
  it('disposes its members last-added first, once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    for (const name of ['a', 'b', 'c']) store.add({ dispose: () => order.push(name) });
    store.dispose();
    store.dispose();
    expect(order).toEqual(['c', 'b', 'a']);
  });
});
