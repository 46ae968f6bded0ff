// bin/switchboard runs the CLI bundle with V8's code cache (issue 12): the first run writes the cache beside
// the bundle, tagged with the bundle's SHA-256; later runs read it and leave it alone; a cache of another
// bundle, or bytes V8 refuses, never change what the CLI does and are replaced; a cache it cannot write
// only means no cache. Each test runs a copy of bin/ and the bundle, not the checkout's own.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of bin/switchboard and the built bundle, laid out as in the checkout. */
function checkout() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-codecache-'));
  temps.push(dir);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'src-cli'), { recursive: true });
  cpSync(join(ROOT, 'bin', 'switchboard'), join(dir, 'bin', 'switchboard'));
  cpSync(join(ROOT, 'bin', 'package.json'), join(dir, 'bin', 'package.json'));
  cpSync(join(ROOT, 'dist', 'src-cli', 'bundle.cjs'), join(dir, 'dist', 'src-cli', 'bundle.cjs'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const bundle = join(dir, 'dist', 'src-cli', 'bundle.cjs');
  return {
    dir,
    cache: `${bundle}.cache`,
    digest: createHash('sha256').update(readFileSync(bundle)).digest(),
    /** `switchboard --help` (the bundle runs, no hub needed). */
    help: () =>
      promisify(execFile)(process.execPath, [join(dir, 'bin', 'switchboard'), '--help'], {
        env: { ...process.env, SWITCHBOARD_HOME: join(dir, 'no-state') },
      }),
  };
}

describe('the CLI bundle with a code cache', () => {
  it('loads what hub, mcp and worker need with require(): an import() in a cached script finds no loader', () => {
    const bundle = readFileSync(join(ROOT, 'dist', 'src-cli', 'bundle.cjs'), 'utf8');
    expect(bundle.match(/\bimport\s*\(/g)).toBeNull();
    for (const lazy of ['./hubCommand.js', './mcpProxy.js', '../src-hub/workers/docker.js'])
      expect(bundle).toContain(`require("${lazy}")`);
  });

  it('the first run writes it, tagged with the bundle it was made from; the next reads it and leaves it', async () => {
    const cli = checkout();
    expect(existsSync(cli.cache)).toBe(false);
    const first = await cli.help();
    expect(first.stdout).toContain('Usage: switchboard');
    const cache = readFileSync(cli.cache);
    expect(cache.subarray(0, 32).equals(cli.digest)).toBe(true);
    expect(cache.length).toBeGreaterThan(10_000);

    const second = await cli.help();
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(cli.cache).equals(cache)).toBe(true);
    expect(readdirSync(join(cli.dir, 'dist', 'src-cli')).sort()).toEqual(['bundle.cjs', 'bundle.cjs.cache']);
  });

  it('a cache of another bundle, or one V8 refuses, changes nothing the CLI does and is made again', async () => {
    const cli = checkout();
    const expected = (await cli.help()).stdout;
    const good = readFileSync(cli.cache);

    // Another bundle's cache: same bytes, another digest. Then the right digest over bytes V8 refuses.
    const otherDigest = Buffer.concat([
      createHash('sha256').update('another bundle').digest(),
      good.subarray(32),
    ]);
    const garbage = Buffer.concat([cli.digest, Buffer.alloc(good.length - 32, 0x5a)]);
    // Bytes damaged deep in a good cache, its length and header kept: V8 would run them as code (a V8_Fatal
    // or a segfault at every start); the cache's own digest refuses them first.
    const damaged = Buffer.from(good);
    for (const at of [100, Math.floor(good.length / 2), good.length - 100])
      damaged.writeUInt32LE(0xdeadbeef, at);
    for (const stale of [otherDigest, garbage, cli.digest, damaged]) {
      writeFileSync(cli.cache, stale);
      const run = await cli.help();
      expect(run.stdout).toBe(expected);
      expect(run.stderr).toBe('');
      const made = readFileSync(cli.cache);
      expect(made.subarray(0, 32).equals(cli.digest)).toBe(true);
      expect(made.equals(stale)).toBe(false);
      expect(made.length).toBeGreaterThan(10_000);
    }
  });

  it('runs without one where it cannot be written, and leaves no part of one behind', async () => {
    // A directory where the cache belongs: unreadable as a cache, and no file can be renamed onto it
    // (a read-only directory would do the same, but these tests may run as root, who writes anywhere).
    const cli = checkout();
    mkdirSync(cli.cache);
    const run = await cli.help();
    expect(run.stdout).toContain('Usage: switchboard');
    expect(run.stderr).toBe('');
    expect(readdirSync(join(cli.dir, 'dist', 'src-cli')).sort()).toEqual(['bundle.cjs', 'bundle.cjs.cache']);
    expect(readdirSync(cli.cache)).toEqual([]);
  });
});
