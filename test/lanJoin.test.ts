// Issue 10 on loopback: `switchboard join`'s bad inputs (each a clear error that changes nothing), and the
// input lease in a joined terminal (status lines, Ctrl-^).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHub, memoryLogger } from '../src-hub/index.js';
import { waitForScreen, waitUntil } from './helpers.js';
import { hub, owner, session, join_, useLanHub } from './lanHub.js';

useLanHub();

describe('switchboard join: bad input gets a clear error and changes nothing', () => {
  it('an expired, a revoked and a wrong-fingerprint link; a link to a hub that is down', async () => {
    const revoked = await owner.createInvite('observer', { session });
    await owner.revokeInvite(revoked.id);
    const wrongPrint = await owner.createInvite('observer', { session });
    const cases = [
      [revoked.link, 'expired, been revoked'],
      [wrongPrint.link.replace(/fp=\w+/, `fp=${'0'.repeat(64)}`), `expects ${'0'.repeat(64)}`],
      [wrongPrint.link.replace(/:\d+\//, ':9/'), 'No hub answers'],
      [wrongPrint.link.replace('https:', 'http:').replace('127.0.0.1', '192.0.2.1'), 'must be https'],
    ] as const;
    for (const [link, words] of cases) {
      const { output, home } = join_(link);
      await waitUntil(() => output.exited, 20_000, `join ${link}`);
      expect(output.code, output.stderr).toBe(1);
      expect(output.stderr.toLowerCase()).toContain(words.toLowerCase());
      expect(readdirSync(home)).toEqual([]); // the joiner's own hub directory is left alone
    }
  }, 90_000);

  it('a join to a session that has ended', async () => {
    const ended = await owner.createSession({ name: 'gone', command: '/bin/true' });
    await waitUntil(() => hub.registry.find(ended.id)?.isEnded === true, 10_000, 'the session to end');
    const invite = await owner.createInvite('observer', { session: ended.id });
    const { output } = join_(invite.link);
    await waitUntil(() => output.exited, 20_000, 'the join');
    expect(output.code).toBe(1);
    expect(output.stderr).toContain('has ended');
  }, 30_000);

  it('an expired invite: refused at once', async () => {
    const now = Date.now();
    let expired = false;
    const clockHub = createHub({
      stateDir: mkdtempSync(join(tmpdir(), 'switchboard-lan-clock-')),
      logger: memoryLogger(),
      now: () => now + (expired ? 3600_000 : 0),
    });
    await clockHub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
    try {
      const control = await clockHub.connect();
      const invite = await control.createInvite('observer', { ttlSeconds: 60 });
      expired = true;
      const { output } = join_(invite.link);
      await waitUntil(() => output.exited, 20_000, 'the join');
      expect(output.code).toBe(1);
      expect(output.stderr).toContain('expired');
      control.close();
    } finally {
      await clockHub.close();
      rmSync(clockHub.stateDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the input lease in `switchboard join` (status lines, Ctrl-^)', () => {
  it('typing without the lease asks for it; the holder sees who asks and hands it over with Ctrl-^', async () => {
    const first = join_((await owner.createInvite('driver', { session, name: 'Holder' })).link);
    const second = join_((await owner.createInvite('driver', { session, name: 'Asker' })).link);
    await waitUntil(
      () => first.output.stdout.includes('\x1b[2J') && second.output.stdout.includes('\x1b[2J'),
      20_000,
      'both joins',
    );
    first.child.stdin.write('held-');
    await waitForScreen(owner, session, 'held-');
    second.child.stdin.write('wanted');
    await waitUntil(
      () => second.output.stdout.includes('Holder holds the input lease; you asked for it'),
      10_000,
      'the asker’s status line',
    );
    await waitUntil(
      () => first.output.stdout.includes('Asker asks for the input lease: press Ctrl-^'),
      10_000,
      'the holder’s prompt',
    );
    expect((await owner.screen(session)).lines.join('\n')).not.toContain('wanted');
    first.child.stdin.write('\x1e'); // Ctrl-^: hand it over
    await waitUntil(() => second.output.stdout.includes('You hold the input lease'), 10_000, 'the hand-over');
    second.child.stdin.write('now-mine\r');
    await waitForScreen(owner, session, 'now-mine');
  }, 60_000);
});
