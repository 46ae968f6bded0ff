// The CLI starts fast because it loads only what a command needs (issue 12): the static import graph of
// src-cli/main.ts, and of every other src-cli file but the `hub` command's, reaches none of the hub's heavy
// parts (node-pty, SQLite, Docker, the MCP SDK, the headless terminal); `hub`, `mcp` and `worker` load
// theirs with `import()`, and the CLI bundle (rolldown.cli.config.mjs) leaves exactly those outside.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAZY } from '../rolldown.cli.config.mjs';
import { reachable, root, sourceFiles } from '../test/importGraph.js';

const HEAVY = [
  'node-pty',
  'better-sqlite3',
  'dockerode',
  '@modelcontextprotocol/sdk',
  '@xterm/headless',
  'pino',
];
/** The few hub files the CLI may load at start: small, dependency-free readers of the state directory. */
const ALLOWED_HUB_FILES = [
  'src-hub/stateDir.ts',
  'src-hub/version.ts',
  'src-hub/workers/config.ts',
  'src-hub/workers/labels.ts',
];

/** What `entry` loads at start that the CLI must not: hub files beyond the few allowed, heavy packages. */
function tooHeavy(entry: string): string[] {
  const { files, packages } = reachable(entry);
  const hubFiles = [...files]
    .map((file) => relative(root, file))
    .filter((file) => file.startsWith('src-hub/') && !ALLOWED_HUB_FILES.includes(file));
  return [...hubFiles, ...[...packages].filter((name) => HEAVY.some((heavy) => name.startsWith(heavy)))];
}

/** The modules that only the `hub` command (and the lazy imports below) may load. */
const HUB_ONLY = ['src-cli/hubCommand.ts', 'src-cli/mcpProxy.ts'];

describe('CLI start-up imports', () => {
  it('reach no heavy hub part from src-cli/main.ts', () => {
    expect(tooHeavy('src-cli/main.ts')).toEqual([]);
  });

  it('reach no heavy hub part from any src-cli file but the hub command and the MCP proxy', () => {
    const offenders = sourceFiles(['src-cli'])
      .filter((file) => !HUB_ONLY.includes(file))
      .map((file) => ({ file, heavy: tooHeavy(file) }))
      .filter(({ heavy }) => heavy.length > 0);
    expect(offenders).toEqual([]);
  });

  it('load the rest only with import(), which the CLI bundle leaves outside', () => {
    const dynamic = sourceFiles(['src-cli']).flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/import\(\s*'([^']+)'\s*\)/g)].map(
        (match) => match[1]!,
      ),
    );
    expect(dynamic.length).toBeGreaterThan(0);
    for (const specifier of dynamic) expect(LAZY.test(specifier), specifier).toBe(true);
    expect(LAZY.test('./output.js')).toBe(false);
  });

  it('would notice the hub barrel (the check itself reads imports right)', () => {
    const { files, packages } = reachable('src-cli/hubCommand.ts');
    expect([...files].some((file) => file.endsWith('src-hub/hub.ts'))).toBe(true);
    expect(packages.has('node-pty')).toBe(true);
  });
});
