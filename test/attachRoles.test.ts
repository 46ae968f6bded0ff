// Ring 2: two clients on one session under real node-pty: roles and the input lease, enforced by the hub.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError, type HubMessage } from '../src-protocol/index.js';
import { fixture, outputOf, startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub;
beforeEach(async () => {
  hub = await startTestHub({ limits: { leaseIdleMs: 400 } });
});
afterEach(async () => {
  await hub.close();
});

async function newEchoSession() {
  const owner = await hub.client();
  const session = await owner.createSession({
    name: 'echo',
    command: process.execPath,
    args: [fixture('echo-prompt.mjs')],
  });
  const ownerView = outputOf(owner, session.id);
  await owner.attach(session.id, 'drive');
  await hub.hub.registry.resolve(session.id).mirror.flushed();
  return { owner, session, ownerView };
}

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof HubError ? error.code : String(error)),
  );

describe('observer and driver on one session', () => {
  it('refuses the observer input with a coded error and never lets it reach the process', async () => {
    const { owner, session, ownerView } = await newEchoSession();
    const { token: observeToken } = await owner.createInvite('observer', { session: session.id });
    const { token: driveToken } = await owner.createInvite('driver', { session: session.id });
    const observer = await hub.client({ token: observeToken });
    const driver = await hub.client({ token: driveToken });
    await observer.attach(session.id, 'observe');
    await driver.attach(session.id, 'drive');

    expect(await codeOf(observer.input(session.id, 'from-observer\r'))).toBe('not_allowed');
    expect(await codeOf(observer.resize(session.id, 80, 20))).toBe('not_allowed');
    expect(await codeOf(observer.attach(session.id, 'drive'))).toBe('not_allowed');
    await driver.input(session.id, 'from-driver\r');
    await ownerView.waitFor('got:from-driver');
    expect(ownerView.text).not.toContain('from-observer');
    // The audit is written a few ms after the input (issue 12), so wait for it.
    await waitUntil(
      () => hub.logger.events.some((event) => event.event === 'session.input' && event.chars === 12),
      5_000,
      'the driver input in the audit',
    );
  });

  it('makes a second driver wait for the lease until the owner grants it', async () => {
    const { owner, session, ownerView } = await newEchoSession();
    const { token } = await owner.createInvite('driver');
    const first = await hub.client({ token });
    const second = await hub.client({ token });
    await first.attach(session.id, 'drive');
    const attached = await second.attach(session.id, 'drive');
    expect(attached.role).toBe('driver');

    await first.input(session.id, 'one\r'); // nobody held the lease: granted automatically
    expect(await codeOf(second.input(session.id, 'two\r'))).toBe('lease_held');
    await second.leaseRequest(session.id);
    const secondId = hub.hub.registry.resolve(session.id).lease.pending[0]!;
    await owner.leaseGrant(session.id, secondId);
    expect(await codeOf(first.input(session.id, 'three\r'))).toBe('lease_held');
    await second.input(session.id, 'four\r');
    await ownerView.waitFor('got:four');
    expect(ownerView.text).toContain('got:one');
    expect(ownerView.text).not.toContain('got:two');
    expect(ownerView.text).not.toContain('got:three');
  });

  it('answers keystrokes sent without an id only when it refuses them, with an error without replyTo', async () => {
    const { owner, session, ownerView } = await newEchoSession();
    const { token: observeToken } = await owner.createInvite('observer', { session: session.id });
    const { token: driveToken } = await owner.createInvite('driver', { session: session.id });
    const observer = await hub.client({ token: observeToken });
    const first = await hub.client({ token: driveToken });
    const second = await hub.client({ token: driveToken });
    const replies = (client: typeof owner) => {
      const seen: HubMessage[] = [];
      client.onMessage((message) => {
        if (message.type === 'ok' || message.type === 'error') seen.push(message);
      });
      return seen;
    };
    const clients = [owner, observer, first, second];
    await observer.attach(session.id, 'observe');
    await first.attach(session.id, 'drive');
    await second.attach(session.id, 'drive');
    const [ownerFrames, observerFrames, firstFrames, secondFrames] = clients.map(replies);

    owner.type(session.id, 'quiet\r');
    first.type(session.id, 'lease\r'); // nobody held the lease: granted automatically, silently
    await ownerView.waitFor('got:lease');
    observer.type(session.id, 'from-observer\r');
    second.type(session.id, 'from-second\r');
    await waitUntil(() => observerFrames!.length > 0 && secondFrames!.length > 0, 5_000, 'the refusals');
    // Each refusal names the session that was typed into, as the client named it: no replyTo says which.
    expect(observerFrames).toEqual([
      expect.objectContaining({ type: 'error', code: 'not_allowed', session: session.id }),
    ]);
    expect(secondFrames).toEqual([
      expect.objectContaining({ type: 'error', code: 'lease_held', session: session.id }),
    ]);
    for (const frame of [...observerFrames!, ...secondFrames!]) expect(frame).not.toHaveProperty('replyTo');
    second.type(session.name, 'by-name\r');
    await waitUntil(() => secondFrames!.length > 1, 5_000, 'the refusal by name');
    expect(secondFrames![1]).toMatchObject({ code: 'lease_held', session: session.name });
    // A keystroke with an id gets its reply as before: the error answers the id and names no session.
    await expect(second.input(session.id, 'with-id\r')).rejects.toMatchObject({ code: 'lease_held' });
    expect(secondFrames![2]).toMatchObject({ type: 'error', code: 'lease_held' });
    expect(secondFrames![2]).toHaveProperty('replyTo');
    expect(secondFrames![2]).not.toHaveProperty('session');
    // A request after the keystrokes is answered after them: whatever the hub sent for them has arrived.
    for (const client of clients) await client.listSessions();
    expect(ownerFrames).toEqual([]);
    expect(firstFrames).toEqual([]);
    expect(ownerView.text).toContain('got:quiet');
    expect(ownerView.text).not.toContain('from-observer');
    expect(ownerView.text).not.toContain('from-second');
    expect(ownerView.text).not.toContain('by-name');
    expect(ownerView.text).not.toContain('with-id');
    // The keystrokes that went in are audited all the same: who typed, how much.
    await waitUntil(
      () => hub.logger.events.some((event) => event.event === 'session.input' && event.chars === 6),
      5_000,
      'the input in the audit',
    );
  });

  it('lets the owner take over, and expires an idle lease', async () => {
    const { owner, session, ownerView } = await newEchoSession();
    const { token } = await owner.createInvite('driver');
    const driver = await hub.client({ token });
    await driver.attach(session.id, 'drive');
    await driver.input(session.id, 'mine\r');
    await owner.leaseTake(session.id);
    expect(await codeOf(driver.input(session.id, 'blocked\r'))).toBe('lease_held');
    await owner.input(session.id, 'owner-types\r');
    await owner.leaseRelease(session.id);
    await driver.input(session.id, 'again\r');
    const lease = hub.hub.registry.resolve(session.id).lease;
    expect(lease.holder).not.toBeNull();
    await waitUntil(() => lease.holder === null, 3000, 'idle expiry');
    expect(
      hub.logger.events.some((event) => event.event === 'lease.changed' && event.reason === 'expired'),
    ).toBe(true);
    await ownerView.waitFor('got:again');
    expect(ownerView.text).toContain('got:owner-types');
    expect(ownerView.text).not.toContain('got:blocked');
  });
});
