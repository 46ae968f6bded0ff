// Client fan-out on fake clients: who gets which session, lease and task frame (issue 14).
import { describe, expect, it } from 'vitest';
import type { SessionInfo, TaskInfo } from '../../src-protocol/index.js';
import { Emitter } from '../events.js';
import type { LeaseChangeEvent, SessionChange } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import { ClientFanOut, type FanOutClient } from './fanOut.js';

function client(principal: FanOutClient['principal'], attached: string[] = []) {
  const frames: Array<{ type: string }> = [];
  const value: FanOutClient = {
    principal,
    attached: new Set(attached),
    send: (frame) => frames.push(JSON.parse(frame) as { type: string }),
  };
  return { value, frames };
}

function setup() {
  const owner = client({ role: 'owner' });
  const invitee = client({ role: 'driver', session: 's1' }, ['s1']);
  const other = client({ role: 'observer', session: 's2' });
  const stranger = client(undefined);
  const presence: string[] = [];
  const sessions = new Map([['s1', { id: 's1' } as Session]]);
  const fanOut = new ClientFanOut({
    clients: [owner, invitee, other, stranger].map((entry) => entry.value),
    findSession: (id) => sessions.get(id),
    presence: {
      changed: (session) => void presence.push(`changed ${session.id}`),
      forget: (id) => void presence.push(`forget ${id}`),
    },
  });
  return { fanOut, owner, invitee, other, stranger, presence };
}

const info = (id: string) => ({ id }) as SessionInfo;

describe('ClientFanOut', () => {
  it('sends a session frame to owners and to invitees of that session, never before auth', () => {
    const { fanOut, owner, invitee, other, stranger, presence } = setup();
    fanOut.sessionChanged({ kind: 'updated', info: info('s1') });
    expect(owner.frames).toMatchObject([{ type: 'session.event', kind: 'updated', session: { id: 's1' } }]);
    expect(invitee.frames).toHaveLength(1);
    expect(other.frames).toEqual([]);
    expect(stranger.frames).toEqual([]);
    expect(presence).toEqual(['changed s1']);
  });

  it('forgets the presence of a session that is gone', () => {
    const { fanOut, presence } = setup();
    fanOut.sessionChanged({ kind: 'removed', info: info('s9') });
    expect(presence).toEqual(['forget s9']);
  });

  it('sends a lease change to whoever is attached and to owners', () => {
    const { fanOut, owner, invitee, other } = setup();
    fanOut.leaseChanged({
      session: { id: 's1' } as Session,
      change: { holder: 'c-1', pending: [], reason: 'granted' },
    });
    expect(owner.frames).toMatchObject([{ type: 'lease.changed', session: 's1', holder: 'c-1' }]);
    expect(invitee.frames).toHaveLength(1);
    expect(other.frames).toEqual([]);
  });

  it('sends task frames to owners only', () => {
    const { fanOut, owner, invitee } = setup();
    fanOut.taskChanged({ id: 't1', status: 'done' } as TaskInfo);
    expect(owner.frames).toMatchObject([{ type: 'task.event', task: { id: 't1' } }]);
    expect(invitee.frames).toEqual([]);
  });

  it('listens to the events it is given until disposed', () => {
    const { fanOut, owner } = setup();
    const sessions = new Emitter<SessionChange>();
    const leases = new Emitter<LeaseChangeEvent>();
    const tasks = new Emitter<TaskInfo>();
    const listening = fanOut.listen(
      { onDidChangeSession: sessions.event, onDidChangeLease: leases.event },
      { onDidChangeTask: tasks.event },
    );
    tasks.fire({ id: 't1' } as TaskInfo);
    listening.dispose();
    tasks.fire({ id: 't2' } as TaskInfo);
    sessions.fire({ kind: 'updated', info: info('s1') });
    expect(owner.frames).toMatchObject([{ task: { id: 't1' } }]);
  });
});
