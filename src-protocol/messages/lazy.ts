// Schemas built on first use (issue 12): building every message's zod schema when the module loads was most
// of what a CLI command spent before doing anything, and `switchboard ls` needs only a few of them. A lazy
// schema stands in for the one `build` returns: the first property read builds it, and the stand-in then
// becomes it (its own properties, zod's internals among them, and its prototype), so that every later
// read is an ordinary one; what it accepts, what it returns and the words of its errors are the built
// schema's own.

/** The stand-ins not built yet, and what builds each. */
const pending = new WeakMap<object, () => void>();

/**
 * A stand-in for `build()`, typed as it: `build` runs once, on the first property read (or write, or `in`).
 * Keep module-level uses of other schemas inside `build` (a `.optional()` outside would build at load).
 */
export function lazySchema<T extends object>(build: () => T): T {
  const standIn = Object.create(null) as T;
  let building = false;
  const become = () => {
    if (building) throw new Error('A lazy schema was used while it was being built (a cycle).');
    building = true;
    try {
      const schema = build();
      Object.defineProperties(standIn, Object.getOwnPropertyDescriptors(schema));
      Object.setPrototypeOf(standIn, Object.getPrototypeOf(schema) as object | null);
      pending.delete(standIn);
    } finally {
      // A build that threw is tried again at the next use, with its own error, not taken for a cycle.
      building = false;
    }
  };
  // Until then its prototype catches every lookup that misses its (no) own properties.
  const unbuilt = new Proxy(Object.create(null) as object, {
    get: (_target, key, receiver) => (become(), Reflect.get(standIn, key, receiver)),
    set: (_target, key, value, receiver) => (become(), Reflect.set(standIn, key, value, receiver)),
    has: (_target, key) => (become(), Reflect.has(standIn, key)),
  });
  Object.setPrototypeOf(standIn, unbuilt);
  pending.set(standIn, become);
  return standIn;
}

/** `schema`, built now if it is a lazy one not built yet. */
export function builtSchema<T extends object>(schema: T): T {
  pending.get(schema)?.();
  return schema;
}

/** Whether a lazy schema was built yet (a schema that is not lazy always was): for tests of what loads. */
export function isBuilt(schema: object): boolean {
  return !pending.has(schema);
}
