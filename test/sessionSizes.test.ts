// Issue 13 item 4: the latest driver sizes the session; when it leaves, the size follows the latest
// remaining driver (tmux's latest-client rule) and the process sees it, instead of a gone window's size.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError, type HubClient } from '../src-protocol/index.js';
import { fixture, outputOf, startTestHub, type TestHub } from './helpers.js';

let hub: TestHub;
beforeEach(async () => {
  hub = await startTestHub({ limits: { resizeDebounceMs: 30 } });
});
afterEach(async () => {
  await hub.close();
});

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof HubError ? error.code : String(error)),
  );

async function probeSession(owner: HubClient) {
  const session = await owner.createSession({
    name: 'probe',
    command: process.execPath,
    args: [fixture('size-probe.mjs')],
    cols: 80,
    rows: 24,
  });
  const view = outputOf(owner, session.id);
  await owner.attach(session.id, 'drive');
  const size = () => {
    const info = hub.hub.registry.resolve(session.id).info();
    return `${info.cols}x${info.rows}`;
  };
  return { id: session.id, view, size };
}

async function driver(owner: HubClient, session: string) {
  const { token } = await owner.createInvite('driver', { session });
  const client = await hub.client({ token });
  await client.attach(session, 'drive');
  return client;
}

describe('session size follows the drivers (issue 13)', () => {
  it('takes the remaining driver size when the driver that set it disconnects', async () => {
    const owner = await hub.client();
    const { id, view, size } = await probeSession(owner);
    const other = await driver(owner, id);
    // Nobody holds the lease: the driver may not size the session, but its wish is kept.
    expect(await codeOf(other.resize(id, 100, 30))).toBe('not_allowed');
    await owner.resize(id, 132, 43);
    await view.waitFor('size:132x43');
    expect(size()).toBe('132x43');

    const third = await driver(owner, id); // attached, but never asked for a size
    const otherView = outputOf(other, id);
    owner.close(); // the owner's window goes away
    await otherView.waitFor('size:100x30');
    expect(size()).toBe('100x30');
    expect(otherView.messages.some((m) => m.type === 'pty.resized' && m.cols === 100 && m.rows === 30)).toBe(
      true,
    );
    // The size is that driver's now: its window's next size follows, though it holds no lease.
    expect(await codeOf(other.resize(id, 90, 28))).toBe('resolved');
    await otherView.waitFor('size:90x28');
    expect(size()).toBe('90x28');
    // A driver the size was not handed to still only wishes.
    expect(await codeOf(third.resize(id, 70, 20))).toBe('not_allowed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(size()).toBe('90x28');
  });

  it('goes back to the owner size when the lease holder that resized detaches', async () => {
    const owner = await hub.client();
    const { id, view, size } = await probeSession(owner);
    await owner.resize(id, 120, 40);
    await view.waitFor('size:120x40');
    const holder = await driver(owner, id);
    await holder.leaseRequest(id); // free: granted at once
    await holder.resize(id, 90, 25);
    await view.waitFor('size:90x25');

    await holder.detach(id);
    await view.waitFor(/size:90x25[\s\S]*size:120x40/);
    expect(size()).toBe('120x40');
  });

  it('keeps the size when an observer or a driver that never asked leaves, and when no one is left', async () => {
    const owner = await hub.client();
    const { id, view, size } = await probeSession(owner);
    await owner.resize(id, 110, 33);
    await view.waitFor('size:110x33');
    const { token } = await owner.createInvite('observer', { session: id });
    const observer = await hub.client({ token });
    await observer.attach(id, 'observe');
    expect(await codeOf(observer.resize(id, 60, 20))).toBe('not_allowed');
    const quiet = await driver(owner, id);
    await observer.detach(id);
    await quiet.detach(id);
    await owner.detach(id);
    // Give a wrongly applied resize time to land: the debounce window is 30 ms.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(size()).toBe('110x33');
    expect(view.text).not.toContain('size:60x20');
    expect(hub.logger.events.filter((event) => event.event === 'session.resized')).toHaveLength(1);
  });

  it('refuses a resize of an unknown session with a coded error and changes nothing', async () => {
    const owner = await hub.client();
    const { size } = await probeSession(owner);
    expect(await codeOf(owner.resize('no-such-session', 100, 30))).toBe('unknown_session');
    expect(size()).toBe('80x24');
  });
});
