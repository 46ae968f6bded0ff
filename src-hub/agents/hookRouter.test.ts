// Hook routing on fakes: each hook is logged, tells the task router of turns, then moves the status.
import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src-protocol/index.js';
import { HookRouter } from './hookRouter.js';

function setup() {
  const calls: string[] = [];
  const router = new HookRouter({
    logger: { event: (name, fields) => void calls.push(`log ${name} ${String(fields?.hook)}`) },
    eventLog: { record: (kind) => void calls.push(`record ${kind}`) },
    tasks: {
      promptSubmitted: (id) => void calls.push(`submitted ${id}`),
      stopped: (id, last) => void calls.push(`stopped ${id} ${last ?? '-'}`),
    },
  });
  const session = {
    id: 's1',
    name: 'one',
    status: 'idle' as SessionStatus,
    setStatus: (status: SessionStatus) => void calls.push(`status ${status}`),
  };
  return { router, calls, session };
}

describe('HookRouter', () => {
  it('a Stop hands the last message to the task router before the session shows idle', () => {
    const { router, calls, session } = setup();
    void router.route(session, { hook_event_name: 'Stop', last_assistant_message: 'all done' });
    expect(calls).toEqual([
      'log session.hook Stop',
      'record session.hook',
      'stopped s1 all done',
      'status idle',
    ]);
  });

  it('a UserPromptSubmit starts the turn for the router and shows the session working', () => {
    const { router, calls, session } = setup();
    void router.route(session, { hook_event_name: 'UserPromptSubmit' });
    expect(calls.slice(2)).toEqual(['submitted s1', 'status working']);
  });

  it('a hook that says nothing of status (SessionEnd) is logged only', () => {
    const { router, calls, session } = setup();
    void router.route(session, { hook_event_name: 'SessionEnd' });
    expect(calls).toEqual(['log session.hook SessionEnd', 'record session.hook']);
  });
});
