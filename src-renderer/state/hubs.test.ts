// More than one hub in a window: pane keys, the projection a pane reads, and the joined hubs' reducers.
import { describe, expect, it } from 'vitest';
import { initialHubState } from './hubState.js';
import { applyRemoteEvent, hubStateOf, LOCAL_HUB, paneKey, paneRef, withRemote } from './hubs.js';
import { sessionInfo } from './testSessions.js';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('pane keys', () => {
  it("keep the window's own hub's keys as bare session ids, and prefix a joined hub's", () => {
    expect(paneKey(LOCAL_HUB, UUID)).toBe(UUID);
    expect(paneKey('r2', UUID)).toBe(`r2/${UUID}`);
    expect(paneRef(UUID)).toEqual({ hub: LOCAL_HUB, session: UUID });
    expect(paneRef(`r2/${UUID}`)).toEqual({ hub: 'r2', session: UUID });
  });
});

describe('joined hubs in the store', () => {
  it('each has its own projection, fed by the same reducer; the local one is untouched', () => {
    let remotes = withRemote({}, 'r1', { name: 'alice-box', origin: 'https://192.0.2.1:7318' });
    expect(remotes.r1).toMatchObject({ status: 'connecting', detail: '', hub: initialHubState });
    remotes = applyRemoteEvent(
      remotes,
      'r1',
      { type: 'auth.ok', replyTo: 1, clientId: 'c-7', role: 'observer', hubVersion: '1', session: UUID },
      0,
    );
    remotes = applyRemoteEvent(
      remotes,
      'r1',
      { type: 'session.list.result', replyTo: 2, sessions: [sessionInfo(UUID, { name: 'b' })] },
      0,
    );
    const local = { ...initialHubState, sessions: { x: sessionInfo('x', { name: 'mine' }) } };
    const state = { hub: local, remotes };
    expect(hubStateOf(state, 'r1').self).toMatchObject({ role: 'observer', scope: UUID });
    expect(Object.keys(hubStateOf(state, 'r1').sessions)).toEqual([UUID]);
    expect(hubStateOf(state, LOCAL_HUB)).toBe(local);
    expect(hubStateOf(state, 'gone')).toBe(initialHubState);
  });

  it('ignores events for a hub it does not know and events that change nothing; forgets on null', () => {
    const remotes = withRemote({}, 'r1', {});
    expect(applyRemoteEvent(remotes, 'r9', { type: 'local.noticesRead' }, 0)).toBe(remotes);
    expect(applyRemoteEvent(remotes, 'r1', { type: 'local.noticesRead' }, 0)).toBe(remotes);
    const gone = withRemote(remotes, 'r1', { status: 'gone', detail: 'revoked' });
    expect(gone.r1).toMatchObject({ status: 'gone', detail: 'revoked', name: 'r1' });
    expect(withRemote(gone, 'r1', null)).toEqual({});
  });
});
