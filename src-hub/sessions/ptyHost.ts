// The only importer of node-pty: spawns a command under a pseudo-terminal behind a small interface.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import * as nodePty from 'node-pty';
import { HubError } from '../../src-protocol/index.js';
import { PtyWriter } from './ptyWriter.js';

export interface PtySpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface PtyProcess {
  readonly pid: number;
  /** The terminal the program runs in (`/dev/pts/N`), where node-pty names it. */
  readonly ttyPath?: string;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: { exitCode: number; signal: number | null }) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  /** Signals the whole process group (node-pty makes the child a session leader). */
  signal(signal: NodeJS.Signals): void;
  /** Only for processes that outlive the hub (a worker container): stop listening, leave it running. */
  release?(): void;
}

export type SpawnPty = (spec: PtySpec) => PtyProcess;

/** Finds `command` on PATH the way a shell would; a clear coded error instead of a silent exit 1. */
export function resolveCommand(command: string, cwd: string, path = process.env.PATH ?? ''): string {
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((directory) => join(directory, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  throw new HubError(
    'command_not_found',
    `Command "${command}" was not found${command.includes('/') ? '' : ' on PATH'} or is not executable. ` +
      'Install it, or pass the full path.',
  );
}

export const spawnNodePty: SpawnPty = (spec) => {
  const child = nodePty.spawn(spec.command, spec.args, {
    name: 'xterm-256color',
    cols: spec.cols,
    rows: spec.rows,
    cwd: spec.cwd,
    env: spec.env,
    encoding: 'utf8', // node-pty decodes with a streaming decoder, so no UTF-8 character is ever split
  });
  const direct = directWriter(child);
  if (direct) child.onExit(() => direct.dispose());
  const ttyPath = (child as unknown as { _pty?: unknown })._pty;
  return {
    pid: child.pid,
    ...(typeof ttyPath === 'string' ? { ttyPath } : {}),
    onData: (listener) => void child.onData(listener),
    onExit: (listener) =>
      void child.onExit(({ exitCode, signal }) => listener({ exitCode, signal: signal || null })),
    write: (data) => (direct ? direct.write(data) : child.write(data)),
    resize: (cols, rows) => {
      try {
        child.resize(cols, rows);
      } catch (error) {
        // The process has exited and node-pty closed the master before its exit event reached the
        // session: a resize in that gap is an ioctl on a closed fd (EBADF), not a hub bug.
        if (/EBADF|EIO|closed|destroyed/i.test(String((error as Error).message ?? error)))
          throw new HubError('session_ended', 'The session has ended; it cannot be resized.');
        throw error;
      }
    },
    pause: () => child.pause(),
    resume: () => child.resume(),
    signal: (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        try {
          child.kill(signal);
        } catch {
          // Already gone.
        }
      }
    },
  };
};

/**
 * Input straight into the master fd (ptyWriter.ts) where node-pty's UnixTerminal exposes it; its fd and
 * socket are not in node-pty's typings, so anything unexpected (another version, Windows) keeps node-pty's
 * own queued write.
 */
function directWriter(child: nodePty.IPty): PtyWriter | undefined {
  const terminal = child as unknown as { fd?: unknown; _socket?: { destroyed?: unknown } };
  const socket = terminal._socket;
  if (process.platform === 'win32' || typeof terminal.fd !== 'number' || terminal.fd < 0) return undefined;
  if (!socket || typeof socket.destroyed !== 'boolean') return undefined;
  return new PtyWriter({ fd: terminal.fd, isOpen: () => socket.destroyed === false });
}

/** The pty of a restored session: its process is long gone, so there is nothing to write or signal. */
export const GONE_PTY: PtyProcess = {
  pid: 0,
  onData: () => undefined,
  onExit: () => undefined,
  write: () => undefined,
  resize: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
  signal: () => undefined,
};
