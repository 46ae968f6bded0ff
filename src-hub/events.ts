// Typed events with disposable listeners (the VS Code shape): `onDidX(listener)` returns a Disposable.

/** Something that holds a resource (a listener, a timer, a process) until disposed. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener; the returned Disposable unsubscribes it. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** The source of one event: `event` is what subscribers see, `fire` is for the owner only. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose: () => undefined };
    // A wrapper per subscription: the same function subscribed twice is two subscriptions.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  /** Calls every listener in subscription order; a listener added meanwhile waits for the next fire. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Drops every listener; later subscriptions are no-ops. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

/** Disposes its members in reverse order of adding (last acquired, first released). */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];

  add<D extends Disposable>(item: D): D {
    this.items.push(item);
    return item;
  }

  dispose(): void {
    for (const item of this.items.splice(0).reverse()) item.dispose();
  }
}
