// Ring 2: stopping the hub ends every session's process tree; no pty child survives it.
import { describe, expect, it } from 'vitest';
import { startTestHub, waitForScreen, waitUntil } from './helpers.js';
import { alive, descendants } from './processes.js';

describe('clean shutdown', () => {
  it('leaves no process behind: shells, their children, and programs that ignore SIGHUP', async () => {
    const hub = await startTestHub({ limits: { killGraceMs: 500 } });
    const owner = await hub.client();
    const commands = [
      ['bash', ['-c', 'sleep 300 & sleep 301; wait']],
      ['bash', ['-c', 'trap "" HUP; echo stubborn-ready; sleep 302; sleep 303']],
      ['bash', ['--norc', '--noprofile', '-i']],
      ['bash', ['-c', '(trap "" HUP; exec sleep 304) & echo orphan-ready; sleep 305']],
    ] as const;
    const pids: number[] = [];
    for (const [command, args] of commands) {
      const session = await owner.createSession({ command, args: [...args] });
      await owner.attach(session.id, 'observe');
      const ready = /(\w+-ready)/.exec(args.join(' '))?.[1];
      if (ready) await waitForScreen(owner, session.id, ready);
      pids.push(session.pid!);
    }
    await waitUntil(() => descendants(pids[0]!).length >= 2, 5000, 'the background sleeps to start');
    const everyone = [...pids, ...pids.flatMap(descendants)];
    expect(everyone.length).toBeGreaterThan(pids.length); // the sleeps are running
    expect(everyone.every(alive)).toBe(true);

    await hub.close();
    // close() resolves once every session has exited; nothing may linger after it.
    expect(everyone.filter(alive)).toEqual([]);
    expect(hub.logger.events.filter((event) => event.event === 'session.ended')).toHaveLength(
      commands.length,
    );
  });
});
