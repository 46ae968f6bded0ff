// Ring 3: the `switchboard` command end to end, as a person or a script runs it. Every command is a child
// process of bin/switchboard; the hub itself is started with `switchboard hub --port 0` in a private
// SWITCHBOARD_HOME; `attach` runs inside a tmux server on a private socket, which gives it a real terminal.
//
// The tests in this file share one hub and run in order (vitest runs a file's tests sequentially); the last
// one stops the hub with SIGTERM and checks that nothing it started survives.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Screen, SessionInfo } from '../src-protocol/index.js';
import { fixture, waitUntil } from './helpers.js';
import { alive, descendants } from './processes.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'switchboard');
const TMUX = '/usr/bin/tmux';

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

interface HubProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

let scratch: string; // everything this file creates on disk lives under here
let home: string; // the hub's SWITCHBOARD_HOME
let emptyHome: string; // a SWITCHBOARD_HOME where no hub ever runs
let fakeBin: string; // holds a fake `claude`, first on the hub's PATH
let work: string; // a working directory for sessions
let hub: HubProcess | undefined;
let tmuxSocket: string | undefined;
const spawned: ChildProcess[] = [];

/** The environment of a CLI run: ours without Switchboard variables or tmux's, plus the ones given. */
function cliEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('SWITCHBOARD_') && key !== 'TMUX' && key !== 'TMUX_PANE') env[key] = value;
  }
  return { ...env, SWITCHBOARD_HOME: home, ...overrides };
}

/** Runs `switchboard ARGS...` to completion; killed after `timeoutMs`, so a hang fails, never blocks. */
function run(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd ?? ROOT,
        env: options.env ?? cliEnv(),
        timeout: options.timeoutMs ?? 20_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: string | null }) | null;
        resolvePromise({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Runs `switchboard ARGS...` with stdin at /dev/null (as `</dev/null`); killed after 10 s, so a hang fails. */
function runWithoutInput(args: string[]): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed, and returns what it printed. */
async function ok(args: string[], options: Parameters<typeof run>[1] = {}): Promise<string> {
  const result = await run(args, options);
  expect(result, `switchboard ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
  return result.stdout;
}

/** Adds --json, before a `--` that starts a session's command line. */
function withJson(args: string[]): string[] {
  const end = args.indexOf('--');
  return end < 0 ? [...args, '--json'] : [...args.slice(0, end), '--json', ...args.slice(end)];
}

async function json<T>(args: string[], options: Parameters<typeof run>[1] = {}): Promise<T> {
  return JSON.parse(await ok(withJson(args), options)) as T;
}

/** Runs a command that must fail with exit code 1. */
async function fails(args: string[], options: Parameters<typeof run>[1] = {}): Promise<Run> {
  const result = await run(args, options);
  expect(result.code, `exit code of switchboard ${args.join(' ')}: ${result.stderr}`).toBe(1);
  return result;
}

/** A `--json` command that must fail: returns the `{"error":{code,message}}` it printed on stdout. */
async function jsonError(args: string[], options: Parameters<typeof run>[1] = {}) {
  const result = await fails(withJson(args), options);
  expect(result.stderr).toBe('');
  const parsed = JSON.parse(result.stdout) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message']);
  return parsed.error;
}

const listSessions = () => json<SessionInfo[]>(['ls']);
const screenOf = (reference: string, options: Parameters<typeof run>[1] = {}) =>
  json<Screen>(['screen', reference], options);

async function sessionNamed(name: string): Promise<SessionInfo> {
  const session = (await listSessions()).find((candidate) => candidate.name === name);
  if (!session) throw new Error(`no session named ${name}`);
  return session;
}

/**
 * Polls `probe` (which may spawn processes) until it returns `{ value }`; otherwise it returns what it saw,
 * which the timeout error shows.
 */
async function eventually<T>(
  probe: () => Promise<{ value: T } | { seen: unknown }>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if ('value' in result) return result.value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(result.seen)}`,
      );
    }
    await sleep(100);
  }
}

/** Polls `switchboard screen --json` until some line passes `test`; returns the screen. */
const screenShows = (reference: string, test: (line: string) => boolean, what: string) =>
  eventually<Screen>(async () => {
    const screen = await screenOf(reference);
    return screen.lines.some(test) ? { value: screen } : { seen: screen.lines.filter(Boolean) };
  }, `${what} on the screen of ${reference}`);

const sessionWhere = (name: string, test: (session: SessionInfo) => boolean, what: string) =>
  eventually<SessionInfo>(async () => {
    const session = await sessionNamed(name);
    return test(session) ? { value: session } : { seen: session };
  }, `${name}: ${what}`);

/** Splits a fixed command line on spaces (for arguments without spaces or quotes). */
const words = (line: string) => line.split(' ');
const sleep = (ms: number) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

async function startHub(env: NodeJS.ProcessEnv): Promise<HubProcess> {
  const child = spawn(process.execPath, [BIN, 'hub', '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exit: { code: number | null; signal: string | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolvePromise) =>
    child.once('exit', (code, signal) => resolvePromise((exit = { code, signal }))),
  );
  await waitUntil(
    () => /listening on /.test(stdout) || exit !== undefined,
    20_000,
    'the hub to print its URL',
  );
  if (exit) throw new Error(`the hub exited early (${JSON.stringify(exit)}): ${stdout}${stderr}`);
  const url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
  return { child, url, stdout: () => stdout, exited };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(5_000)]);
  }
}

function tmux(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      TMUX,
      ['-S', tmuxSocket!, '-f', '/dev/null', ...args],
      { env: cliEnv(), timeout: 10_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`tmux ${args.join(' ')}: ${stderr}`)) : resolvePromise(stdout),
    );
  });
}

/** A detached tmux session of the given size whose only pane runs `switchboard attach ARGS...`. */
async function tmuxAttach(name: string, size: { cols: number; rows: number }, attachArgs: string[]) {
  const attach = [process.execPath, BIN, 'attach', ...attachArgs].map(quote).join(' ');
  const command = `exec env SWITCHBOARD_HOME=${quote(home)} ${attach}`;
  // remain-on-exit keeps the pane (and what it shows) after the attach process has exited.
  await tmux([
    'new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), '-c', ROOT, command,
    ';', 'set-option', '-g', 'remain-on-exit', 'on',
  ]); // prettier-ignore
}

const paneLines = async (target: string) => (await tmux(['capture-pane', '-p', '-t', target])).split('\n');

const paneShows = (target: string, test: (line: string) => boolean, what: string) =>
  eventually<string[]>(async () => {
    const lines = await paneLines(target);
    return lines.some(test) ? { value: lines } : { seen: lines.filter(Boolean) };
  }, `${what} in tmux pane ${target}`);

/** Waits for the pane's process to exit; returns its exit status (or the signal that ended it). */
const paneExit = (target: string) =>
  eventually<number | string>(async () => {
    const format = '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}:#{pid}';
    const state = (await tmux(['display-message', '-p', '-t', target, format])).trim();
    const [dead, status, signal, serverPid] = state.split(':');
    if (dead === '1' && status !== '') return { value: Number(status) };
    if (dead === '1' && signal !== '') return { value: `signal ${signal}` };
    // The pane is dead once its pty closes, but tmux reads the exit status only when SIGCHLD arrives. Closing
    // the pty runs libutempter, whose own SIGCHLD handler can swallow that signal, leaving the process a
    // zombie and the status empty for good (tmux/tmux#311). Nudge the tmux server to reap it.
    if (dead === '1') process.kill(Number(serverPid), 'SIGCHLD');
    return { seen: { state, pane: (await paneLines(target)).filter(Boolean) } };
  }, `the process in tmux pane ${target} to exit`);

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as { port: number };
  await new Promise((resolvePromise) => server.close(resolvePromise));
  return port;
}

const sessionPids = new Set<number>(); // every session process the hub ran, for the shutdown check

beforeAll(async () => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'switchboard-cli-')));
  home = join(scratch, 'home');
  emptyHome = join(scratch, 'empty-home');
  fakeBin = join(scratch, 'bin');
  work = join(scratch, 'work');
  for (const directory of [home, emptyHome, fakeBin, work]) mkdirSync(directory, { mode: 0o700 });
  // `new` without a command starts `claude`: this stand-in answers the hub's version check, then echoes.
  writeFileSync(
    join(fakeBin, 'claude'),
    [
      '#!/bin/sh',
      'for arg in "$@"; do [ "$arg" = --version ] && { echo "2.1.331 (Claude Code)"; exit 0; }; done',
      'echo fake-claude-ready',
      'exec cat',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  tmuxSocket = join(scratch, 'tmux.sock');
  hub = await startHub(cliEnv({ PATH: `${fakeBin}:${process.env.PATH ?? ''}` }));
});

afterAll(async () => {
  if (tmuxSocket && existsSync(tmuxSocket)) await tmux(['kill-server']).catch(() => undefined);
  for (const child of spawned) await stopProcess(child, new Promise((done) => child.once('exit', done)));
  for (const pid of sessionPids) {
    if (alive(pid)) process.kill(pid, 'SIGKILL'); // only if the shutdown test failed; these are ours
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('without a hub', { timeout: 120_000 }, () => {
  it('every command says to start `switchboard hub` and exits non-zero', async () => {
    const env = cliEnv({ SWITCHBOARD_HOME: emptyHome });
    const commands = [
      ['ls'],
      ['new', '--', 'bash'],
      ['send', 'x', 'hello'],
      ['screen', 'x'],
      ['kill', 'x'],
      ['rm', 'x'],
      ['invite'],
      ['attach', 'x'],
    ];
    const results = await Promise.all(commands.map((args) => fails(args, { env })));
    for (const result of results) {
      expect(result.stderr).toContain('No hub is running');
      expect(result.stderr).toContain('`switchboard hub`');
      expect(result.stderr).toContain(join(emptyHome, 'hub.json'));
      expect(result.stdout).toBe('');
    }
    const error = await jsonError(['ls'], { env });
    expect(error.code).toBe('hub_unreachable');
    expect(error.message).toContain('`switchboard hub`');
    expect(existsSync(join(emptyHome, 'hub.json'))).toBe(false);
  });

  it('treats a hub.json left by a dead hub as no hub', async () => {
    const staleHome = join(scratch, 'stale-home');
    mkdirSync(staleHome, { mode: 0o700 });
    const gone = spawn(process.execPath, ['-e', '']);
    const pid = gone.pid!;
    await new Promise((done) => gone.once('exit', done));
    const file = { url: 'http://127.0.0.1:9', pid, token: 'sbo_stale' };
    writeFileSync(join(staleHome, 'hub.json'), JSON.stringify(file), { mode: 0o600 });
    const result = await fails(['ls'], { env: cliEnv({ SWITCHBOARD_HOME: staleHome }) });
    expect(result.stderr).toContain('`switchboard hub`');
  });

  it('says when SWITCHBOARD_URL points where no hub listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const env = cliEnv({ SWITCHBOARD_HOME: emptyHome, SWITCHBOARD_URL: url, SWITCHBOARD_TOKEN: 'sbo_x' });
    const result = await fails(['ls'], { env });
    expect(result.stderr).toContain(`Cannot reach the hub at ${url}`);
  });
});

describe('switchboard hub', { timeout: 120_000 }, () => {
  it('prints its URL and writes hub.json (mode 0600) with url, socket, pid and token', () => {
    expect(hub!.stdout()).toMatch(/^Switchboard hub listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(hub!.stdout()).toContain(`state: ${home}\n`);
    const path = join(home, 'hub.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { url: string; pid: number; token: string };
    expect(Object.keys(file).sort()).toEqual(['pid', 'pidStart', 'socket', 'token', 'url']);
    expect(file.url).toBe(hub!.url);
    // Issue 12: the CLI reaches the hub over its Unix domain socket, private to its user.
    expect((file as { socket?: string }).socket).toBe(join(home, 'hub.sock'));
    expect(statSync(join(home, 'hub.sock')).mode & 0o777).toBe(0o600);
    expect(file.pid).toBe(hub!.child.pid);
    expect(file.token).toMatch(/^sbo_[\w-]{20,}$/);
  });

  it('refuses to start a second hub on the same SWITCHBOARD_HOME', async () => {
    const before = readFileSync(join(home, 'hub.json'), 'utf8');
    const result = await fails(['hub', '--port', '0']);
    expect(result.stderr).toContain(`A hub is already running at ${hub!.url} (pid ${hub!.child.pid})`);
    expect(result.stdout).not.toContain('listening');
    expect(readFileSync(join(home, 'hub.json'), 'utf8')).toBe(before);
    expect(await listSessions()).toEqual([]); // the first hub still answers
  });

  it('refuses a port that is in use, and writes no hub.json', async () => {
    const otherHome = join(scratch, 'other-home');
    const port = new URL(hub!.url).port;
    const result = await fails(['hub', '--port', port], { env: cliEnv({ SWITCHBOARD_HOME: otherHome }) });
    expect(result.stdout).not.toContain('listening');
    expect(existsSync(join(otherHome, 'hub.json'))).toBe(false);
  });

  // Regression: a failed listen used to report "sonic boom is not ready yet" (the log closing early) instead of the port.
  it('says which port is in use and how to pick another', async () => {
    const port = new URL(hub!.url).port;
    const result = await fails(['hub', '--port', port], {
      env: cliEnv({ SWITCHBOARD_HOME: join(scratch, 'other-home-2') }),
    });
    expect(result.stderr).toBe(
      `switchboard: Port ${port} is in use; pass --port N (or --port 0 for any free port).\n`,
    );
  });

  it('started again, brings back the Claude sessions it stopped and says so', async () => {
    const env = cliEnv({
      SWITCHBOARD_HOME: join(scratch, 'restart-home'),
      SWITCHBOARD_CLAUDE_BIN: fixture('fake-claude.mjs'),
    });
    const first = await startHub(env);
    expect(first.stdout()).not.toContain('back from the last run');
    const created = JSON.parse(
      await ok(['new', '--name', 'keeper', '--cwd', scratch, '--json'], { env }),
    ) as {
      id: string;
    };
    await stopProcess(first.child, first.exited);
    const second = await startHub(env);
    try {
      await waitUntil(() => second.stdout().includes('back from the last run'), 10_000, 'the resume line');
      expect(second.stdout()).toContain('back from the last run: keeper (switchboard ls)\n');
      const listed = JSON.parse(await ok(['ls', '--json'], { env })) as Array<{ id: string; name: string }>;
      expect(listed.map(({ id, name }) => ({ id, name }))).toEqual([{ id: created.id, name: 'keeper' }]);
    } finally {
      await stopProcess(second.child, second.exited);
    }
  });
});

describe('sessions', { timeout: 120_000 }, () => {
  it('new starts a session with the name, directory and size asked for', async () => {
    const session = await json<SessionInfo>(
      ['new', '--name', 'sh', '--cwd', work, ...words('--cols 100 --rows 30 -- bash --norc --noprofile')],
      { cwd: scratch },
    );
    expect(session).toMatchObject({
      name: 'sh',
      cwd: work,
      args: ['--norc', '--noprofile'],
      cols: 100,
      rows: 30,
      status: 'running',
      clients: 0,
      exitCode: null,
      endedAt: null,
    });
    expect(session.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(session.command).toMatch(/\/bash$/);
    expect(session.pid).toBeGreaterThan(0);
    sessionPids.add(session.pid!);
    expect(alive(session.pid!)).toBe(true);
    const screen = await screenShows('sh', (line) => line.length > 0, 'a prompt');
    expect(screen).toMatchObject({ cols: 100, rows: 30 });
    expect(screen.lines).toHaveLength(30);
    // The shell really runs in the directory given.
    await ok(['send', 'sh', 'pwd']);
    await screenShows('sh', (line) => line === work, 'pwd output');
  });

  it("new without options runs claude in the caller's directory and says how to attach", async () => {
    const result = await ok(['new'], { cwd: work });
    const match =
      /^Started (claude-\d+) \(([0-9a-f-]{36})\)\. Attach with: switchboard attach (claude-\d+)\n$/.exec(
        result,
      );
    expect(match, result).not.toBeNull();
    expect(match![3]).toBe(match![1]);
    const session = await sessionNamed(match![1]!);
    expect(session).toMatchObject({ id: match![2], cwd: work, command: join(fakeBin, 'claude') });
    sessionPids.add(session.pid!);
    await screenShows(session.name, (line) => line === 'fake-claude-ready', 'the fake claude');
  });

  it('new refuses an unknown command, a taken name, a missing directory and a bad size', async () => {
    const before = await listSessions();
    const missing = join(scratch, 'no-such-directory');
    const [unknown, unknownJson, taken, takenJson, noDirectory, badSize, badName] = await Promise.all([
      fails(words('new --name nope -- no-such-command-xyz')),
      jsonError(words('new -- no-such-command-xyz')),
      fails(words('new --name sh -- bash')),
      jsonError(words('new --name sh -- bash')),
      jsonError(['new', '--cwd', missing, '--', 'bash']),
      fails(words('new --cols 1 -- bash')),
      fails(['new', '--name', 'bad name!', '--', 'bash']),
    ]);
    expect(unknown.stderr).toContain('"no-such-command-xyz" was not found');
    expect(unknownJson.code).toBe('command_not_found');
    expect(taken.stderr).toContain('A session named "sh" already exists');
    expect(takenJson.code).toBe('name_taken');
    expect(noDirectory.message).toContain(`"${missing}" does not exist`);
    expect(badSize.stderr).toContain('--cols must be a whole number from 2 to 1000');
    expect(badName.stderr).toContain('letters, digits');

    expect((await listSessions()).map((session) => session.id)).toEqual(before.map((session) => session.id));
  });

  it('ls lists sessions as a table and as JSON', async () => {
    const sessions = await listSessions();
    const sh = sessions.find((session) => session.name === 'sh')!;
    const fields = words('id name cwd command args status clients cols rows pid exitCode signal');
    for (const session of sessions) expect(Object.keys(session)).toEqual(expect.arrayContaining(fields));
    const table = (await ok(['ls'])).trimEnd().split('\n');
    expect(table[0]).toMatch(/^ID\s+NAME\s+STATUS\s+CLIENTS\s+COMMAND\s+CWD$/);
    expect(table).toHaveLength(sessions.length + 1);
    const row = table.find((line) => line.startsWith(sh.id.slice(0, 8)))!;
    expect(row.split(/\s{2,}/)).toEqual([
      sh.id.slice(0, 8),
      'sh',
      'running',
      '0',
      'bash --norc --noprofile',
      work,
    ]);
  });

  it('send types text and Enter; --no-enter leaves it on the prompt line; screen shows both', async () => {
    expect(await ok(['send', 'sh', 'echo sent-$((20+3))'])).toBe('');
    await screenShows('sh', (line) => line === 'sent-23', 'sent-23');

    await ok(['send', 'sh', 'echo typed-$((30+4))', '--no-enter']);
    const typed = await screenShows('sh', (line) => line.endsWith('echo typed-$((30+4))'), 'the typed text');
    expect(typed.lines[typed.cursor.y]).toMatch(/echo typed-\$\(\(30\+4\)\)$/); // the cursor waits after it
    await sleep(300);
    expect((await screenOf('sh')).lines).not.toContain('typed-34');
    await ok(['send', 'sh', '']); // just Enter
    await screenShows('sh', (line) => line === 'typed-34', 'typed-34 after Enter');

    const text = await ok(['screen', 'sh']);
    expect(text.split('\n')).toEqual(expect.arrayContaining(['sent-23', 'typed-34']));
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false); // trailing blank rows are left out

    const screen = await screenOf('sh');
    expect(screen).toMatchObject({ cols: 100, rows: 30 });
    expect(Number.isInteger(screen.cursor.x)).toBe(true);
    expect(screen.lines).toHaveLength(30);
    expect(screen.cursor.y).toBeGreaterThanOrEqual(0);
    expect(screen.cursor.y).toBeLessThan(30);
    expect(screen.lines).toEqual(expect.arrayContaining(['sent-23', 'typed-34']));
  });

  it('SESSION is a name, an id or a unique id prefix', async () => {
    const sessions = await listSessions();
    const sh = sessions.find((session) => session.name === 'sh')!;
    // The shortest prefix of sh's id that no other session's id (or name) starts with.
    let length = 1;
    while (
      sessions.some(
        (other) =>
          other !== sh &&
          (other.id.startsWith(sh.id.slice(0, length)) || other.name === sh.id.slice(0, length)),
      )
    )
      length++;
    const prefix = sh.id.slice(0, Math.max(length, 4));
    await ok(['send', sh.id, 'echo by-id-$((1+1))']);
    await ok(['send', prefix, 'echo by-prefix-$((1+2))']);
    await ok(['send', 'sh', 'echo by-name-$((1+3))']);
    await screenShows('sh', (line) => line === 'by-name-4', 'by-name-4');
    for (const reference of [sh.id, prefix, 'sh']) {
      const screen = await screenOf(reference);
      expect(screen.lines).toEqual(expect.arrayContaining(['by-id-2', 'by-prefix-3', 'by-name-4']));
    }
  });

  it('an unknown session is an error with code unknown_session, as text and as JSON', async () => {
    const message = 'No session "nope-xyz"';
    const error = await jsonError(['screen', 'nope-xyz']);
    expect(error.code).toBe('unknown_session');
    expect(error.message).toContain(message);
    const results = await Promise.all(
      [
        ['screen', 'nope-xyz'],
        ['send', 'nope-xyz', 'hi'],
        ['kill', 'nope-xyz'],
        ['rm', 'nope-xyz'],
      ].map((args) => fails(args)),
    );
    for (const result of results) {
      expect(result.stderr).toMatch(/^switchboard: No session "nope-xyz"/);
      expect(result.stdout).toBe('');
    }
  });

  it('an id prefix shared by several sessions is ambiguous_session', async () => {
    // Start sessions until two ids share a first hex digit (at most 17 sessions, by pigeonhole).
    const extra: SessionInfo[] = [];
    let shared: string | undefined;
    while (!shared) {
      const created = await json<SessionInfo>(['new', '--name', `amb-${extra.length}`, '--', 'cat']);
      extra.push(created);
      sessionPids.add(created.pid!);
      const firsts = (await listSessions()).map((session) => session.id[0]!);
      shared = firsts.find((first, index) => firsts.indexOf(first) !== index);
    }
    const prefix = shared;
    const count = (await listSessions()).filter((session) => session.id.startsWith(prefix)).length;
    const error = await jsonError(['screen', prefix]);
    expect(error.code).toBe('ambiguous_session');
    expect(error.message).toContain(`matches ${count} sessions`);
    expect((await fails(['kill', prefix])).stderr).toContain('give more of the id');
    // Nothing was killed by the ambiguous reference; now end and remove the extra sessions by id.
    expect((await listSessions()).filter((session) => session.status === 'ended')).toEqual([]);
    for (const session of extra) {
      await ok(['kill', session.id]);
      await ok(['rm', session.id]);
    }
    const left = new Set((await listSessions()).map((session) => session.id));
    expect(extra.filter((session) => left.has(session.id))).toEqual([]);
  });

  it('kill ends a session (it stays listed as ended); rm refuses a running one, then removes it', async () => {
    const victim = await json<SessionInfo>(words('new --name victim -- bash --norc --noprofile'));
    sessionPids.add(victim.pid!);
    await ok(['send', 'victim', 'echo last-words-$((6*7))']);
    await screenShows('victim', (line) => line === 'last-words-42', 'last-words-42');

    const refused = await fails(['rm', 'victim']);
    expect(refused.stderr).toContain('Session "victim" is still running; kill it first.');
    expect(await sessionNamed('victim')).toMatchObject({ status: 'running' });

    expect(await ok(['kill', 'victim'])).toBe('');
    const ended = await sessionNamed('victim'); // kill returns once the process has exited
    expect(ended).toMatchObject({ status: 'ended', pid: null, signal: 1 });
    expect(Date.parse(ended.endedAt!)).toBeGreaterThanOrEqual(Date.parse(ended.createdAt));
    expect(alive(victim.pid!)).toBe(false);
    const row = (await ok(['ls'])).split('\n').find((line) => line.startsWith(victim.id.slice(0, 8)))!;
    expect(row).toMatch(/\bvictim\s+ended \(signal 1\)\s/);
    expect((await screenOf('victim')).lines).toContain('last-words-42'); // the final screen stays readable
    expect((await fails(['send', 'victim', 'hi'])).stderr).toContain('has ended');

    expect(await ok(['rm', 'victim'])).toBe('');
    expect((await listSessions()).map((session) => session.name)).not.toContain('victim');
    expect((await fails(['rm', 'victim'])).stderr).toContain('No session "victim"');
  });

  it('a session that exits by itself is listed as ended with its exit code', async () => {
    const session = await json<SessionInfo>([
      'new', '--name', 'quitter', '--', process.execPath, fixture('echo-prompt.mjs'),
    ]); // prettier-ignore
    sessionPids.add(session.pid!);
    await screenShows('quitter', (line) => line.startsWith('ready>'), 'the fixture prompt');
    await ok(['send', 'quitter', 'exit']);
    const ended = await sessionWhere('quitter', (info) => info.status === 'ended', 'ended');
    expect(ended).toMatchObject({ exitCode: 7, signal: null, pid: null });
    expect(await ok(['ls'])).toMatch(/\bquitter\s+ended \(exit 7\)\s/);
    await ok(['rm', 'quitter']);
  });
});

describe('attach through tmux', { timeout: 120_000 }, () => {
  it('a driver types and sizes the session; an observer only watches; Ctrl-] and Ctrl-C detach', async () => {
    const created = await json<SessionInfo>(
      words('new --name att --cols 120 --rows 40 -- bash --norc --noprofile'),
    );
    sessionPids.add(created.pid!);
    await screenShows('att', (line) => line.length > 0, 'a prompt');

    // The driver: a 100x30 tmux window; attaching sets the session to that size.
    await tmuxAttach('drv', { cols: 100, rows: 30 }, ['att']);
    await sessionWhere('att', (info) => info.clients === 1, 'one client');
    await sessionWhere('att', (info) => info.cols === 100 && info.rows === 30, 'resized to 100x30');
    await paneShows('drv', (line) => line.length > 0, 'the painted snapshot');
    await tmux(['send-keys', '-t', 'drv', 'echo attached-$((40+2))', 'Enter']);
    await paneShows('drv', (line) => line === 'attached-42', 'attached-42');
    await screenShows('att', (line) => line === 'attached-42', 'attached-42');

    // The observer: an 80x20 window; it sees the session but never sizes it nor types into it.
    await tmuxAttach('obs', { cols: 80, rows: 20 }, ['att', '--observe']);
    expect((await tmux(['display-message', '-p', '-t', 'obs', '#{pane_width}x#{pane_height}'])).trim()).toBe(
      '80x20',
    );
    await sessionWhere('att', (info) => info.clients === 2, 'two clients');
    await paneShows('obs', (line) => line === 'attached-42', 'the snapshot, in the observer');
    await tmux(['send-keys', '-t', 'obs', 'echo observer-$((5*5))', 'Enter']);
    await tmux(['resize-window', '-t', 'obs', '-x', '70', '-y', '18']);
    // A marker typed by the driver after the observer's keys: once it shows, the observer's would have too.
    await tmux(['send-keys', '-t', 'drv', 'echo sync-$((3*3))', 'Enter']);
    await screenShows('att', (line) => line === 'sync-9', 'sync-9');
    await paneShows('obs', (line) => line === 'sync-9', 'live output, in the observer');
    await sleep(500); // past the hub's 250 ms resize debounce
    const watched = await screenOf('att');
    expect(watched.lines.join('\n')).not.toContain('observer');
    expect(await sessionNamed('att')).toMatchObject({ cols: 100, rows: 30, clients: 2 });

    // A driver's terminal keeps setting the size when it changes.
    await tmux(['resize-window', '-t', 'drv', '-x', '90', '-y', '25']);
    await sessionWhere('att', (info) => info.cols === 90 && info.rows === 25, 'resized to 90x25');
    expect(await screenOf('att')).toMatchObject({ cols: 90, rows: 25 });

    // Observers may detach with Ctrl-C; the session goes on.
    await tmux(['send-keys', '-t', 'obs', 'C-c']);
    expect(await paneExit('obs')).toBe(0);
    expect(await paneLines('obs')).toContain('[switchboard] detached');
    await sessionWhere('att', (info) => info.clients === 1, 'back to one client');

    // Ctrl-] detaches the driver: the attach process exits 0 and the session keeps running.
    await tmux(['send-keys', '-t', 'drv', 'C-]']);
    expect(await paneExit('drv')).toBe(0);
    expect(await paneLines('drv')).toContain('[switchboard] detached');
    const after = await sessionWhere('att', (info) => info.clients === 0, 'no clients');
    expect(after).toMatchObject({ status: 'running', pid: created.pid });
    expect((await screenOf('att')).lines).not.toContain('[switchboard] detached');
  });

  it('an attached terminal is told when its session ends', async () => {
    const created = await json<SessionInfo>([
      'new', '--name', 'ender', '--', process.execPath, fixture('echo-prompt.mjs'),
    ]); // prettier-ignore
    sessionPids.add(created.pid!);
    await tmuxAttach('end', { cols: 100, rows: 30 }, ['ender']);
    await paneShows('end', (line) => line.startsWith('ready>'), 'the fixture prompt');
    await tmux(['send-keys', '-t', 'end', 'exit', 'Enter']);
    expect(await paneExit('end')).toBe(0);
    const lines = await paneLines('end');
    expect(lines).toContain('got:exit');
    expect(lines).toContain('[switchboard] session ended (exit 7)');
    await sessionWhere('ender', (info) => info.clients === 0, 'no clients');
    expect(await sessionNamed('ender')).toMatchObject({ status: 'ended', exitCode: 7 });
  });

  it('attach to an ended session says so and exits 1, without taking the terminal (issue 13)', async () => {
    const created = await json<SessionInfo>(['new', '--name', 'gone', '--', 'sh', '-c', 'exit 3']);
    await sessionWhere('gone', (info) => info.status === 'ended', 'ended');
    const result = await runWithoutInput(['attach', 'gone']);
    expect(result).toMatchObject({ code: 1, signal: null, stdout: '' });
    expect(result.stderr).toContain('Session "gone" has ended (exit 3): nothing runs there to attach to.');
    expect(result.stderr).toContain(`switchboard screen gone`);
    expect(result.stderr).toContain(`switchboard restart gone`);
    expect(result.stderr).not.toContain('stdin is not a terminal'); // the error comes alone
    // The short id `ls` prints names it too: the same message, not a frozen screen.
    const byPrefix = await runWithoutInput(['attach', created.id.slice(0, 8)]);
    expect(byPrefix).toMatchObject({ code: 1, signal: null, stdout: '' });
    expect(byPrefix.stderr).toContain('Session "gone" has ended (exit 3)');
  });

  it('attach with input that ends (</dev/null) detaches and exits 0 instead of hanging', async () => {
    const created = await json<SessionInfo>(['new', '--name', 'stays', '--', 'sh', '-c', 'sleep 60']);
    sessionPids.add(created.pid!);
    const result = await runWithoutInput(['attach', 'stays']);
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toContain('[switchboard] end of input');
    await sessionWhere(
      'stays',
      (info) => info.clients === 0 && info.status !== 'ended',
      'detached, still running',
    );
  });

  it('attach to an unknown session prints a clear error', async () => {
    // Spawned rather than run to completion: if attach hung again, the test would still end.
    const child = spawn(process.execPath, [BIN, 'attach', 'nope-xyz'], { env: cliEnv(), stdio: 'pipe' });
    spawned.push(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitUntil(() => stderr.includes('No session'), 15_000, 'the error');
    expect(stderr).toContain('switchboard: No session "nope-xyz"');
    child.kill('SIGKILL');
  });

  // Regression: attach used to hang after printing an error, its connection left open.
  it('attach to an unknown session exits with code 1', async () => {
    const result = await run(['attach', 'nope-xyz'], { timeoutMs: 6_000 });
    expect(result).toMatchObject({ code: 1, signal: null });
  });
});

describe('invites', { timeout: 120_000 }, () => {
  const inviteeEnv = (token: string) =>
    cliEnv({ SWITCHBOARD_HOME: emptyHome, SWITCHBOARD_URL: hub!.url, SWITCHBOARD_TOKEN: token });

  it('invite --json returns a link and a token; the text form shows the link and what to do', async () => {
    const invite = await json<{ token: string; role: string; expires: string; link: string; id: string }>(
      words('invite --role observer'),
    );
    expect(invite.token).toMatch(/^sbi_[\w-]{20,}$/);
    expect(invite.role).toBe('observer');
    // Without --lan the link points at the loopback listener (issue 10).
    expect(invite.link).toBe(`${hub!.url}/ui/#invite=${invite.token}`);
    expect(invite.id).toMatch(/^[0-9a-f]{8}$/);
    const expiresIn = Date.parse(invite.expires) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    // Issue 9: a driver of a shell session can do anything the hub's user can; the owner is told so,
    // on stderr (one line), in both forms; --json stdout stays the invite alone.
    const driver = await run(['invite', '--role', 'driver', '--ttl', '60']);
    expect(driver.code).toBe(0);
    const text = driver.stdout.split('\n');
    expect(text[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ui\/#invite=sbi_[\w-]{20,}$/);
    expect(text.join('\n')).toContain('driver invite');
    // Issue 10: with the LAN off, it says the link is for this machine and how to share on the network.
    expect(text.join('\n')).toContain('works only on this machine');
    expect(text.join('\n')).toContain('switchboard hub --lan');
    expect(driver.stderr).toMatch(/^warning: .*driver.*shell.*rights.*\n$/);
    expect(driver.stderr.trim().split('\n')).toHaveLength(1);
    const driverJson = await run(['invite', '--role', 'driver', '--json', '--name', 'Ada', '--ttl', '2h']);
    expect(driverJson.stderr).toBe(driver.stderr);
    const parsed = JSON.parse(driverJson.stdout) as { name: string; expires: string };
    expect(Object.keys(parsed).sort()).toEqual(['expires', 'id', 'link', 'name', 'role', 'session', 'token']);
    expect(parsed.name).toBe('Ada');
    expect(Date.parse(parsed.expires) - Date.now()).toBeGreaterThan(7100_000);
    expect((await fails(['invite', '--ttl', '5'])).stderr).toContain('--ttl must be a duration');
    expect((await fails(['invite', '--role', 'boss'])).stderr).toContain('observer, driver');
  });

  it('an observer token lists and reads sessions, but may not start, type, kill or invite', async () => {
    const { token } = await json<{ token: string }>(['invite', '--role', 'observer']);
    const env = inviteeEnv(token);
    const owners = await listSessions();

    const seen = await json<SessionInfo[]>(['ls'], { env });
    expect(seen.map((session) => session.id)).toEqual(owners.map((session) => session.id));
    expect(await ok(['ls'], { env })).toMatch(/^ID\s+NAME/);
    expect((await screenOf('sh', { env })).lines).toContain('sent-23');

    expect(await jsonError(['new', '--name', 'intruder', '--', 'bash'], { env })).toMatchObject({
      code: 'not_allowed',
    });
    const refusedNew = await fails(['new', '--name', 'intruder', '--', 'bash'], { env });
    expect(refusedNew.stderr).toContain("Only the hub's owner may start sessions.");
    expect((await listSessions()).map((session) => session.name)).not.toContain('intruder');

    const refusedSend = await fails(['send', 'sh', 'echo from-observer-$((6*7))'], { env });
    expect(refusedSend.stderr).toMatch(/^switchboard: /);
    await ok(['send', 'sh', 'echo owner-after-$((2*4))']);
    const screen = await screenShows('sh', (line) => line === 'owner-after-8', 'owner-after-8');
    expect(screen.lines.join('\n')).not.toContain('from-observer');

    expect((await fails(['kill', 'sh'], { env })).stderr).toContain(
      "Only the hub's owner may kill sessions.",
    );
    expect(await sessionNamed('sh')).toMatchObject({ status: 'running' });
    expect((await fails(['invite'], { env })).stderr).toContain("Only the hub's owner may create invites.");
  });

  // Regression: an observer's send used to be told to "attach as a driver", which it never may.
  it('send with an observer token says observers may not type', async () => {
    const { token } = await json<{ token: string }>(['invite', '--role', 'observer']);
    const refused = await fails(['send', 'sh', 'hello'], { env: inviteeEnv(token) });
    expect(refused.stderr).toMatch(/observer/i);
    expect(refused.stderr).not.toContain('as a driver before');
  });

  it('a session-scoped invite sees only its session', async () => {
    const sh = await sessionNamed('sh');
    const invite = await json<{ token: string; session: string }>(['invite', '--session', 'sh']);
    expect(invite.session).toBe(sh.id);
    const env = inviteeEnv(invite.token);
    expect((await json<SessionInfo[]>(['ls'], { env })).map((session) => session.id)).toEqual([sh.id]);
    const other = (await listSessions()).find((session) => session.id !== sh.id)!;
    expect(await jsonError(['screen', other.name], { env })).toMatchObject({ code: 'unknown_session' });
  });

  it('an observer invite cannot attach as a driver (the error is printed)', async () => {
    const { token } = await json<{ token: string }>(['invite', '--role', 'observer']);
    // Spawned rather than run to completion: so a hang could not block the suite.
    const child = spawn(process.execPath, [BIN, 'attach', 'sh'], { env: inviteeEnv(token), stdio: 'pipe' });
    spawned.push(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitUntil(() => stderr.includes('observing only'), 15_000, 'the refusal');
    expect(stderr).toContain('This invite is for observing only; attach with --observe.');
    child.kill('SIGKILL');
    expect(await sessionNamed('sh')).toMatchObject({ clients: 0 });
  });

  it('a wrong token is refused', async () => {
    const result = await fails(['ls'], { env: inviteeEnv('sbi_not-a-real-token') });
    expect(result.stderr).toContain('Wrong or expired token.');
  });
});

describe('stopping the hub', { timeout: 120_000 }, () => {
  it('SIGTERM ends every session and its children, removes hub.json and exits 0', async () => {
    // A shell with a background job, and a program that ignores SIGHUP.
    await ok(words('new --name bg -- bash --norc --noprofile'));
    await ok(['send', 'bg', 'sleep 1000 & echo bg-pid=$!']);
    const shown = await screenShows('bg', (line) => /^bg-pid=\d+$/.test(line), 'the background pid');
    const backgroundPid = Number(
      shown.lines.find((line) => line.startsWith('bg-pid='))!.slice('bg-pid='.length),
    );
    const stubborn = 'trap "" HUP; echo stubborn-ready; while :; do sleep 1; done';
    await ok([...words('new --name stubborn -- sh -c'), stubborn]);
    await screenShows('stubborn', (line) => line === 'stubborn-ready', 'stubborn-ready');

    const running = (await listSessions()).filter((session) => session.status !== 'ended');
    expect(running.length).toBeGreaterThanOrEqual(4);
    for (const session of running) sessionPids.add(session.pid!);
    const tree = descendants(hub!.child.pid!);
    for (const session of running) expect(tree).toContain(session.pid);
    expect(tree).toContain(backgroundPid);
    expect(alive(backgroundPid)).toBe(true);

    hub!.child.kill('SIGTERM');
    const exit = await Promise.race([hub!.exited, sleep(20_000).then(() => 'still running')]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(hub!.stdout()).toContain('SIGTERM: stopping the hub and its sessions');
    expect(existsSync(join(home, 'hub.json'))).toBe(false);
    const processes = [...new Set([...tree, ...sessionPids])];
    // The hub waits for its sessions before it exits; allow a moment for the kernel to finish the rest.
    await waitUntil(() => !processes.some(alive), 5_000, 'every process of the hub to end').catch(
      () => undefined,
    );
    expect(processes.filter(alive), 'processes that survived the hub').toEqual([]);
    expect((await fails(['ls'])).stderr).toContain('No hub is running');
  });
});
