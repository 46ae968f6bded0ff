// Saved sessions (issue 9): a session's screen is saved only when it changed, and a saved one comes back
// as an ended session with that screen, which takes no input and needs no process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.js';
import { memoryLogger } from '../logger.js';
import { openDatabase, type HubDatabase } from '../store/database.js';
import type { PtyProcess } from './ptyHost.js';
import { SavedSessions } from './savedSessions.js';
import { Session, type SessionSpec } from './session.js';

class FakePty implements PtyProcess {
  readonly pid = 4242;
  private dataListener: (data: string) => void = () => undefined;
  onData(listener: (data: string) => void) {
    this.dataListener = listener;
  }
  onExit() {}
  write() {}
  resize() {}
  pause() {}
  resume() {}
  signal() {}
  emit(data: string) {
    this.dataListener(data);
  }
}

const spec: SessionSpec = {
  ...{ id: 's1', name: 'printer', kind: 'command', command: '/bin/sh', args: [], cwd: '/' },
  ...{ env: {}, cols: 40, rows: 5, worktree: null },
};
const deps = (spawn: () => PtyProcess) => ({
  spawn,
  limits: { ...LIMITS },
  logger: memoryLogger(),
  now: () => Date.now(),
  onChange: () => undefined,
  onLease: () => undefined,
});

let stateDir: string;
let database: HubDatabase;
let saved: SavedSessions;
const sessions: Session[] = [];

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-saved-'));
  database = openDatabase(stateDir);
  saved = new SavedSessions(database, { sessions: () => sessions, intervalMs: 60_000, scrollbackRows: 10 });
});
afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
  saved.dispose();
  database.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('saved sessions', () => {
  it('saves a screen when it changed, and restores it as an ended session', async () => {
    const pty = new FakePty();
    const live = new Session(
      spec,
      deps(() => pty),
    );
    sessions.push(live);
    saved.saveIfChanged(live);
    const first = saved.list()[0]!.savedAt;
    pty.emit('saved-marker\r\n');
    await new Promise((resolve) => setTimeout(resolve, 20)); // batched, then parsed by the mirror
    await live.mirror.flushed();
    saved.saveIfChanged(live);
    const [record] = saved.list();
    expect(record!.screen).toContain('saved-marker');
    expect(record!.info).toMatchObject({ id: 's1', name: 'printer', status: 'running' });
    // Nothing changed since: no new save.
    const again = record!.savedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    saved.saveIfChanged(live);
    expect(saved.list()[0]!.savedAt).toBe(again);
    expect(again >= first).toBe(true);

    const restored = new Session(
      { ...spec, env: {} },
      deps(() => {
        throw new Error('a restored session starts no process');
      }),
      {
        createdAt: record!.info.createdAt,
        endedAt: record!.savedAt,
        exitCode: null,
        signal: null,
        screen: record!.screen,
      },
    );
    sessions.push(restored);
    await restored.mirror.flushed();
    expect(restored.info()).toMatchObject({ status: 'ended', pid: null, endedAt: record!.savedAt });
    expect(restored.mirror.screen().lines[0]).toBe('saved-marker');
    expect(() => restored.write('x')).toThrow(expect.objectContaining({ code: 'session_ended' }));
    await expect(restored.kill()).resolves.toBeUndefined();
    // Its record is not overwritten by saves of the restored copy.
    saved.saveIfChanged(restored);
    expect(saved.list()[0]!.info.status).toBe('running');

    saved.forget('s1');
    expect(saved.list()).toEqual([]);
  });
});
