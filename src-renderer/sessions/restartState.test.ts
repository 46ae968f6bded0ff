// Issue 13: a session restarted in place (same id) takes its place in the store: its old attachment is
// over (so the pane attaches again and takes input), and the start itself raises no notice.
import { describe, expect, it } from 'vitest';
import type { HubMessage } from '../../src-protocol/index.js';
import { applyHubEvent, initialHubState, inputGate, type HubState } from '../state/hubState.js';
import { sessionInfo } from '../state/testSessions.js';

const run = (events: HubMessage[], state: HubState = initialHubState) =>
  events.reduce((current, event) => applyHubEvent(current, event, 1000), state);

const ended = sessionInfo('s', { status: 'ended', exitCode: 0, pid: null, kind: 'command' });

describe('a session restarted in place', () => {
  it('drops the ended attachment, so the new snapshot makes the pane live again', () => {
    const before = run([
      { type: 'auth.ok', replyTo: 1, clientId: 'c-1', role: 'owner', hubVersion: '0.1.0' },
      { type: 'session.list.result', replyTo: 2, sessions: [sessionInfo('s', { kind: 'command' })] },
      { type: 'pty.snapshot', session: 's', role: 'owner', offset: 0, cols: 80, rows: 24, data: '' },
      { type: 'pty.exit', session: 's', exitCode: 0, signal: null },
      { type: 'session.event', kind: 'updated', session: ended },
    ]);
    expect(inputGate(before, 's')).toEqual({
      allowed: false,
      hint: 'The session has ended; its final screen stays.',
    });
    const notices = before.notices.length;

    const after = run(
      [
        {
          type: 'session.event',
          kind: 'added',
          session: sessionInfo('s', { kind: 'command', status: 'running' }),
        },
        { type: 'pty.snapshot', session: 's', role: 'owner', offset: 0, cols: 80, rows: 24, data: '' },
      ],
      before,
    );
    expect(after.sessions.s?.status).toBe('running');
    expect(after.attachments.s).toEqual({ role: 'owner', exited: false });
    expect(inputGate(after, 's')).toEqual({ allowed: true });
    expect(after.notices).toHaveLength(notices);
  });

  it('keeps the attachment of a session that only changes while it runs', () => {
    const state = run([
      { type: 'session.list.result', replyTo: 2, sessions: [sessionInfo('s')] },
      { type: 'pty.snapshot', session: 's', role: 'owner', offset: 0, cols: 80, rows: 24, data: '' },
      { type: 'session.event', kind: 'updated', session: sessionInfo('s', { name: 'renamed' }) },
    ]);
    expect(state.sessions.s?.name).toBe('renamed');
    expect(state.attachments.s).toEqual({ role: 'owner', exited: false });
  });
});
