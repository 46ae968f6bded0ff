// The CLI starts fast because it loads only what a command needs (issue 12): the static import graph of
// src-cli/main.ts reaches none of the hub's heavy parts (node-pty, SQLite, Docker, the MCP SDK, the
// headless terminal); `hub`, `mcp` and `worker` load theirs when they run.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
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

/** Static value imports (`import … from`, `export … from`, bare `import '…'`); types and `import()` excluded. */
function staticImports(source: string): string[] {
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (existsSync(target)) visit(target);
    }
  };
  visit(join(root, entry));
  return { files, packages };
}

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
