import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as protocol from '../index.js';
import { builtSchema, isBuilt, lazySchema } from './lazy.js';

const protocolSchemas = () =>
  Object.entries(protocol).filter(([name, value]) => name.endsWith('Schema') && typeof value === 'object');

describe('the protocol schemas are built on first use', () => {
  // First in the file: nothing else has parsed a message yet in this module graph.
  it('loading the protocol builds none; parsing a message builds only what that type needs', () => {
    const schemas = protocolSchemas();
    expect(schemas.length).toBeGreaterThan(100);
    expect(schemas.filter(([, schema]) => isBuilt(schema as object)).map(([name]) => name)).toEqual([]);

    const list = protocol.parseHubMessage(
      JSON.stringify({ type: 'session.list.result', replyTo: 1, sessions: [] }),
    );
    expect(list).toEqual({ type: 'session.list.result', replyTo: 1, sessions: [] });
    const built = new Set(schemas.filter(([, schema]) => isBuilt(schema as object)).map(([name]) => name));
    expect(built.has('SessionListResultSchema')).toBe(true);
    expect(built.has('SessionInfoSchema')).toBe(true);
    for (const unneeded of ['TaskInfoSchema', 'InboxItemSchema', 'HubMessageSchema', 'ClientMessageSchema'])
      expect(built.has(unneeded), unneeded).toBe(false);
    expect(built.size).toBeLessThan(schemas.length / 4);
  });
});

describe('lazySchema', () => {
  const buildPoint = () =>
    z.object({ x: z.number().int().min(0), label: z.string().max(3).optional() }).strict();

  it('builds once, on the first use, not when made', () => {
    let builds = 0;
    const point = lazySchema(() => {
      builds++;
      return buildPoint();
    });
    expect(builds).toBe(0);
    expect(isBuilt(point)).toBe(false);
    expect(point.safeParse({ x: 1 }).success).toBe(true);
    expect(point.safeParse({ x: -1 }).success).toBe(false);
    expect(builds).toBe(1);
    expect(isBuilt(point)).toBe(true);
  });

  it('accepts, returns and refuses exactly as the schema it stands for, with the same issues', () => {
    const point = lazySchema(buildPoint);
    const real = buildPoint();
    const values = [
      { x: 1 },
      { x: 2, label: 'abc' },
      { x: -1 },
      { x: 1.5, label: 'abcd' },
      { x: 1, extra: true },
      { label: 'a' },
      null,
      'point',
      [1],
    ];
    for (const value of values) {
      const a = point.safeParse(value);
      const b = real.safeParse(value);
      expect(a.success, JSON.stringify(value)).toBe(b.success);
      expect(a.data).toEqual(b.data);
      expect(a.error?.issues).toEqual(b.error?.issues);
    }
    expect(() => point.parse({ x: 'one' })).toThrow(z.ZodError);
  });

  it('works where zod takes a schema: in objects, unions, wrappers, shapes and JSON Schema', () => {
    const point = lazySchema(buildPoint);
    const kind = lazySchema(() => z.object({ type: z.literal('a'), n: z.number() }));
    const union = z.discriminatedUnion('type', [kind, z.object({ type: z.literal('b') })]);
    expect(union.parse({ type: 'a', n: 1 })).toEqual({ type: 'a', n: 1 });
    expect(union.safeParse({ type: 'a', n: 'x' }).error?.issues[0]?.path).toEqual(['n']);
    expect(union.safeParse({ type: 'c' }).success).toBe(false);

    const holder = z.object({ at: point.optional(), all: z.array(point) });
    expect(holder.parse({ all: [{ x: 0 }] })).toEqual({ all: [{ x: 0 }] });
    expect(holder.safeParse({ all: [{ x: -2 }] }).error?.issues[0]?.path).toEqual(['all', 0, 'x']);

    expect(point instanceof z.ZodObject).toBe(true);
    expect(Object.keys(point.shape)).toEqual(['x', 'label']);
    expect(kind.shape.type.value).toBe('a');
    expect(z.toJSONSchema(holder)).toEqual(
      z.toJSONSchema(z.object({ at: buildPoint().optional(), all: z.array(buildPoint()) })),
    );
  });

  it('once built, is the schema: its internals, its prototype, no stand-in left on the way', () => {
    const real = buildPoint();
    const point = lazySchema(() => real);
    expect(builtSchema(point)).toBe(point);
    expect(isBuilt(point)).toBe(true);
    expect(point._zod).toBe(real._zod);
    expect(Object.getPrototypeOf(point)).toBe(Object.getPrototypeOf(real));
    expect(builtSchema(real)).toBe(real);
    expect(isBuilt(real)).toBe(true);
  });

  it('a cycle is an error, not a hang', () => {
    const selfish: z.ZodType = lazySchema(() => z.array(selfish.optional()));
    expect(() => selfish.safeParse([])).toThrow(/cycle/);
  });

  it('a build that threw is tried again at the next use, not taken for a cycle', () => {
    let attempts = 0;
    const flaky = lazySchema(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('first build failed');
      return z.string();
    });
    expect(() => flaky.parse('x')).toThrow('first build failed');
    expect(flaky.parse('x')).toBe('x');
    expect(attempts).toBe(2);
  });
});
