// The CLI starts fast because it loads only what a command needs (issue 12): the static import graph of
// src-cli/main.ts reaches none of the hub's heavy parts (node-pty, SQLite, Docker, the MCP SDK, the
// headless terminal); `hub`, `mcp` and `worker` load theirs when they run.
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachable, root } from '../test/importGraph.js';

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

describe('CLI start-up imports', () => {
  it('reach no heavy hub part from src-cli/main.ts', () => {
    const { files, packages } = reachable('src-cli/main.ts');
    const hubFiles = [...files]
      .map((file) => relative(root, file))
      .filter((file) => file.startsWith('src-hub/'));
    expect(hubFiles.filter((file) => !ALLOWED_HUB_FILES.includes(file))).toEqual([]);
    expect([...packages].filter((name) => HEAVY.some((heavy) => name.startsWith(heavy)))).toEqual([]);
  });

  it('would notice the hub barrel (the check itself reads imports right)', () => {
    const { files, packages } = reachable('src-cli/hubCommand.ts');
    expect([...files].some((file) => file.endsWith('src-hub/hub.ts'))).toBe(true);
    expect(packages.has('node-pty')).toBe(true);
  });
});
