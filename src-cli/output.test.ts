// What the CLI prints for people: commands quoted the way a shell would need them, and a session name
// refused with the rule before any hub is called.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionName } from './hubAction.js';
import { sessionTable, shellQuote } from './output.js';
import type { SessionInfo } from '../src-protocol/index.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'switchboard');

describe('shellQuote', () => {
  const words = [
    'plain',
    'a b',
    'echo "a b" $HOME',
    "it's",
    '',
    'x;rm -rf /',
    '--flag=value',
    'tab\there',
    '*',
    'two\nlines',
    'colour \u001b[31mred\u001b[0m',
    "back\\slash and 'quote' \r\u0007\b\f\v",
    'soh\u0001 del\u007f c1\u009b then 0a',
    'é ünïcode ✓',
  ];

  it('leaves safe words bare and quotes the rest', () => {
    expect(shellQuote('npm')).toBe('npm');
    expect(shellQuote('--flag=value')).toBe('--flag=value');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('é ✓')).toBe("'é ✓'");
  });

  it("writes control characters as $'...' escapes, never raw", () => {
    expect(shellQuote('a\nb')).toBe("$'a\\nb'");
    expect(shellQuote('\t\u001b[0m')).toBe("$'\\t\\e[0m'");
    expect(shellQuote("it's\n")).toBe("$'it\\'s\\n'");
    expect(shellQuote('\\\n')).toBe("$'\\\\\\n'");
    expect(shellQuote('\u0001\u007f\u009b')).toBe("$'\\x01\\x7f\\u009b'");
    // eslint-disable-next-line no-control-regex
    for (const word of words) expect(shellQuote(word)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('gives back every word unchanged through a real shell', () => {
    const line = words.map(shellQuote).join(' ');
    const echoed = execFileSync('bash', ['--norc', '--noprofile', '-c', `printf '%s\\0' ${line}`], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    expect(echoed.split('\0').slice(0, -1)).toEqual(words);
  });
});

describe('session names', () => {
  it('takes names that follow the rule', () => {
    expect(sessionName('build-1.test_x')).toBe('build-1.test_x');
  });

  it('refuses others with the rule and a name that would do', () => {
    expect(() => sessionName('x y')).toThrow(
      /"x y" cannot name a session: use letters, digits, "\.", "_" and "-", starting with a letter or digit, at most 64 characters \(for example x-y\)/,
    );
    expect(() => sessionName('-lead')).toThrow(/for example lead/);
    expect(() => sessionName('a'.repeat(65))).toThrow(/at most 64 characters/);
  });

  it('switchboard new --name "x y" says so and exits 1 without needing a hub', () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [BIN, 'new', '--name', 'x y', '--', 'bash'], {
        encoding: 'utf8',
        env: { ...process.env, SWITCHBOARD_HOME: '/nonexistent-switchboard-home' },
        stdio: 'pipe',
      });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain('"x y" cannot name a session: use letters, digits');
    expect(failure?.stderr).not.toContain('No hub is running');
  });
});

describe('ls', () => {
  const session = (name: string, extra: Partial<SessionInfo>): SessionInfo => ({
    id: `${name}-0000-0000`,
    name,
    kind: 'command',
    cwd: '/work',
    command: '/bin/sh',
    args: ['-c', 'echo "a b" $HOME'],
    status: 'running',
    pid: 1,
    cols: 80,
    rows: 24,
    createdAt: new Date(0).toISOString(),
    endedAt: null,
    exitCode: null,
    signal: null,
    clients: 0,
    leaseHolder: null,
    worktree: null,
    ...extra,
  });

  it('quotes commands as a shell would, and shows token use only once a session has some', () => {
    const plain = sessionTable([session('plain', {})]);
    expect(plain).toContain(`sh -c 'echo "a b" $HOME'`);
    expect(plain).not.toContain('USAGE');
    // A newline in an argument or the directory stays inside its row, escaped.
    const odd = sessionTable([session('odd', { args: ['-c', 'echo 1\necho 2'], cwd: '/tmp/a\tb' })]);
    expect(odd.split('\n')).toHaveLength(3);
    expect(odd).toContain("sh -c $'echo 1\\necho 2'");
    expect(odd).toContain("$'/tmp/a\\tb'");
    const used = sessionTable([
      session('plain', {}),
      session('lead', {
        kind: 'claude',
        usage: {
          model: 'claude-sonnet-4-5',
          inputTokens: 12_000,
          outputTokens: 800,
          cacheReadTokens: 100_000,
          cacheCreationTokens: 0,
          costUsd: 0.078,
          contextTokens: 50_000,
          contextWindow: 200_000,
          pricesAsOf: '2025-11-24',
        },
      }),
    ]);
    expect(used).toContain('USAGE');
    expect(used).toContain('113k tokens, ~$0.08, context 25%');
  });
});
