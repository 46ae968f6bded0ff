// Which Claude Code is installed, and which launch profile fits it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HubError } from '../../src-protocol/index.js';

const run = promisify(execFile);

export interface LaunchProfile {
  /** The supported version range, for messages. */
  range: string;
  /** Spelling of the manual permission mode (2.1.197 says `default`, 2.1.331 `manual`, accepting both). */
  manualMode: string;
}

/** One profile per supported range; both use the same flags, verified in shared/reference/claude-code.md. */
const PROFILES: Array<{ min: number[]; max: number[]; profile: LaunchProfile }> = [
  { min: [2, 1, 197], max: [2, 1, 197], profile: { range: '2.1.197', manualMode: 'default' } },
  { min: [2, 1, 198], max: [2, 1, 999], profile: { range: '2.1.198–2.1.x', manualMode: 'manual' } },
];

export const SUPPORTED_VERSIONS = PROFILES.map((entry) => entry.profile.range).join(', ');

const compare = (a: number[], b: number[]) => {
  for (let index = 0; index < 3; index++) if (a[index]! !== b[index]!) return a[index]! - b[index]!;
  return 0;
};

export function profileFor(version: string): LaunchProfile {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  const match =
    parts && PROFILES.find((entry) => compare(parts, entry.min) >= 0 && compare(parts, entry.max) <= 0);
  if (!match) {
    throw new HubError(
      'unsupported_version',
      `Claude Code ${version} is not supported; Switchboard supports ${SUPPORTED_VERSIONS}. ` +
        'Install one with `npm install -g @anthropic-ai/claude-code@2.1.331`.',
    );
  }
  return match.profile;
}

/** Runs `<binary> [args] --version` once per binary and caches what it said. */
export class VersionDetector {
  private readonly cache = new Map<string, Promise<{ version: string; profile: LaunchProfile }>>();

  detect(binary: string, args: string[], env: Record<string, string>) {
    const key = [binary, ...args].join('\0');
    let pending = this.cache.get(key);
    if (!pending) {
      pending = run(binary, [...args, '--version'], { env, timeout: 20_000 }).then(
        ({ stdout }) => {
          const version = /(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
          if (!version)
            throw new HubError(
              'unsupported_version',
              `"${binary} --version" printed no version: ${stdout.trim()}`,
            );
          return { version, profile: profileFor(version) };
        },
        (error: NodeJS.ErrnoException) => {
          throw new HubError(
            error.code === 'ENOENT' ? 'command_not_found' : 'unsupported_version',
            error.code === 'ENOENT'
              ? `Claude Code ("${binary}") is not installed or not on PATH. Install it, or set SWITCHBOARD_CLAUDE_BIN.`
              : `Could not run "${binary} --version": ${error.message}`,
          );
        },
      );
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
  }
}
