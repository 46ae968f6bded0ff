// Schemas built on first use (issue 12): building every message's zod schema when the module loads was most
// of what a CLI command spent before doing anything, and `switchboard ls` needs only a few of them. A lazy
// schema stands in for the one `build` returns: the first property read builds it, every later one reads
// it; what it accepts, what it returns and the words of its errors are the built schema's own.

const BUILT = Symbol('switchboard.lazySchema');
const IS_BUILT = Symbol('switchboard.lazySchema.isBuilt');

/**
 * A stand-in for `build()`, typed as it: `build` runs once, on the first use. Keep module-level uses of
 * other schemas inside `build` (a `.optional()` outside would build its schema at load).
 */
export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => (schema ??= build());
  // The target only satisfies the proxy's rules: a property the schema cannot reconfigure is copied onto it
  // when reported (zod's `_zod` is such a property).
  const stub = {} as T;
  return new Proxy(stub, {
    get: (_stub, key) =>
      key === BUILT ? real() : key === IS_BUILT ? schema !== undefined : Reflect.get(real(), key),
    set: (_stub, key, value) => Reflect.set(real(), key, value),
    has: (_stub, key) => Reflect.has(real(), key),
    defineProperty: (_stub, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_stub, key) => Reflect.deleteProperty(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      if (descriptor && !descriptor.configurable && !Reflect.getOwnPropertyDescriptor(target, key))
        Reflect.defineProperty(target, key, descriptor);
      return descriptor;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/** The schema a lazy one stands for (built now if it was not), or `schema` itself if it is not lazy. */
export function builtSchema<T extends object>(schema: T): T {
  return ((schema as Record<symbol, unknown>)[BUILT] as T | undefined) ?? schema;
}

/** Whether a lazy schema was built yet (a schema that is not lazy always was): for tests of what loads. */
export function isBuilt(schema: object): boolean {
  return (schema as Record<symbol, boolean | undefined>)[IS_BUILT] ?? true;
}
