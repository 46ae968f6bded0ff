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

  it('a SessionStart while a turn is open (its hook was slower than the prompt) leaves it working', () => {
    const { router, calls, session } = setup();
    const statuses = () => calls.filter((call) => call.startsWith('status'));
    void router.route(session, { hook_event_name: 'UserPromptSubmit' });
    void router.route(session, { hook_event_name: 'SessionStart', source: 'startup' });
    expect(statuses()).toEqual(['status working']);
    void router.route(session, { hook_event_name: 'Stop' });
    void router.route(session, { hook_event_name: 'SessionStart', source: 'clear' });
    expect(statuses()).toEqual(['status working', 'status idle', 'status idle']);
    // An idle notification closes a turn that had no Stop (an interrupt).
    void router.route(session, { hook_event_name: 'UserPromptSubmit' });
    void router.route(session, { hook_event_name: 'Notification', notification_type: 'idle_prompt' });
    void router.route(session, { hook_event_name: 'SessionStart', source: 'clear' });
    expect(statuses().slice(3)).toEqual(['status working', 'status idle', 'status idle']);
  });

  it('forgets an open turn when the session ends: a restart (the same id) is idle at its SessionStart', () => {
    const { router, calls, session } = setup();
    void router.route(session, { hook_event_name: 'UserPromptSubmit' });
    router.forget(session.id);
    void router.route(session, { hook_event_name: 'SessionStart', source: 'resume' });
    expect(calls.filter((call) => call.startsWith('status'))).toEqual(['status working', 'status idle']);
  });

  it('a SessionStart before any prompt (the folder-trust question answered meanwhile) makes it idle', () => {
    const { router, calls, session } = setup();
    void router.route(session, { hook_event_name: 'SessionStart', source: 'startup' });
    expect(calls.filter((call) => call.startsWith('status'))).toEqual(['status idle']);
  });
});
