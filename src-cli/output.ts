// How the CLI prints: tables for people, JSON for scripts, and errors that say what to do.
import { HubError, usageLine, type SessionInfo } from '../src-protocol/index.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

const shortId = (id: string) => id.slice(0, 8);

// C0 controls, DEL and C1 controls: printed raw they break a table row or drive the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NAMED_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\u001b': '\\e',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  "'": "\\'",
};

/** One character inside $'...': a named escape, \xHH for other C0 controls and DEL, \uHHHH for C1. */
function ansiCEscape(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named) return named;
  if (!CONTROL.test(char)) return char;
  const code = char.codePointAt(0)!;
  return code < 0x80
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A word as a shell would need it to get it back unchanged, on one line: bare when safe, single-quoted
 * when it holds no control character, else ANSI-C quoted ($'...', bash, zsh, ksh and POSIX.1-2024) with
 * escapes (\n, \t, \e, \xHH) so a newline or an escape sequence never reaches the terminal raw.
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  if (CONTROL.test(word)) return `$'${[...word].map(ansiCEscape).join('')}'`;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
const basename = (path: string) => path.split('/').pop() ?? path;

export function sessionTable(sessions: SessionInfo[]): string {
  if (sessions.length === 0) return 'No sessions. Start one with `switchboard new`.\n';
  const status = (session: SessionInfo) =>
    session.status === 'ended'
      ? `ended (${session.signal ? `signal ${session.signal}` : `exit ${session.exitCode}`})`
      : session.status;
  const branch = (session: SessionInfo) =>
    session.worktree
      ? `${session.worktree.branch}${session.worktree.dirty ? ` (${session.worktree.dirty} dirty)` : ''}`
      : '-';
  // A Claude session's arguments are the hub's launch profile: long, and the same for every session.
  const command = (session: SessionInfo) =>
    session.worker?.runtime === 'kubernetes'
      ? `pod (${session.worker.image}, depth ${session.worker.depth}, node ${session.worker.node ?? '-'})`
      : session.worker
        ? `worker (${session.worker.image}, depth ${session.worker.depth})`
        : session.kind === 'claude'
          ? `claude (${basename(session.command)})`
          : [basename(session.command), ...session.args].map(shellQuote).join(' ');
  const columns: Array<[string, (session: SessionInfo) => string]> = [
    ['ID', (session) => shortId(session.id)],
    ['NAME', (session) => session.name],
    ['STATUS', status],
    ['CLIENTS', (session) => String(session.clients)],
    // The branch column appears only when some session runs in a worktree.
    ...(sessions.some((session) => session.worktree)
      ? [['BRANCH', branch] as [string, (session: SessionInfo) => string]]
      : []),
    // Token use appears only when some Claude session has replied.
    ...(sessions.some((session) => session.usage)
      ? [
          ['USAGE', (session) => (session.usage ? usageLine(session.usage) : '-')] as [
            string,
            (session: SessionInfo) => string,
          ],
        ]
      : []),
    ['COMMAND', command],
    // A directory is shown as is, unless a control character in it would break the row.
    ['CWD', (session) => (CONTROL.test(session.cwd) ? shellQuote(session.cwd) : session.cwd)],
  ];
  return table([
    columns.map(([title]) => title),
    ...sessions.map((session) => columns.map(([, cell]) => cell(session))),
  ]);
}

/** Prints an error the way the command was asked to speak, and sets a failing exit code. */
export function reportError(error: unknown, json: boolean): void {
  const code = error instanceof HubError ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  if (json) printJson({ error: { code, message } });
  else process.stderr.write(`switchboard: ${message}\n`);
  process.exitCode = 1;
}
