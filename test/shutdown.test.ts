// Ring 2: stopping the hub ends every session's process tree; no pty child survives it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTestHub, waitForScreen, waitUntil } from './helpers.js';

/** Every descendant of `pid`, read from /proc (Linux). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const result: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      result.push(child);
      visit(child);
    }
  };
  visit(pid);
  return result;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); // a zombie has ended
  } catch {
    return false;
  }
};

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
