// The resume book and its decisions, on fakes: which sessions come back, under which name, with what
// typed in (a notice when the conversation resumes, the task again when it starts fresh).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import { memoryLogger } from '../logger.js';
import type { CreateOptions } from '../sessions/launcher.js';
import type { Session } from '../sessions/session.js';
import { openDatabase, type HubDatabase } from '../store/database.js';
import { hasTranscript, SessionResumer } from './sessionResume.js';

const task = (id: string, status: TaskInfo['status'] = 'running'): TaskInfo => ({
  id,
  parentId: null,
  fromSession: null,
  fromName: 'owner',
  toSession: 's1',
  toName: 'one',
  title: 'fix it',
  instructions: 'Fix the flaky test',
  status,
  result: null,
  createdAt: '2026-11-26T04:00:00.000Z',
  updatedAt: '2026-11-26T04:00:00.000Z',
  deadlineAt: '2026-11-26T05:00:00.000Z',
});

let dir: string;
let database: HubDatabase;
let created: CreateOptions[];
let typed: Array<[string, string, string]>;
let taken: Set<string>;
let dropped: string[];
let lost: Array<[string, string]>;

const resumer = (configDir = join(dir, 'claude')) => {
  const made = new SessionResumer({
    database,
    logger: memoryLogger(),
    claudeConfigDir: configDir,
    create: async (options) => {
      if (taken.has(options.name!)) throw new HubError('name_taken', `"${options.name}" is taken.`);
      if (options.cwd === '/gone')
        throw new HubError('invalid_message', 'Working directory "/gone" does not exist.');
      created.push(options);
      return { name: options.name } as Session;
    },
    worktreeOf: () => null,
    openTasksFor: (id) => (id === 's1' ? [task('t1')] : id === 's4' ? [task('t4', 'delivered')] : []),
    enqueueInput: (session, text, taskId) => typed.push([session, text, taskId]),
    dropInputForTask: (taskId) => dropped.push(taskId),
  });
  made.onDidLoseSession(({ session, reason }) => lost.push([session, reason]));
  return made;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-resume-unit-'));
  database = openDatabase(dir);
  created = [];
  typed = [];
  taken = new Set();
  dropped = [];
  lost = [];
});
afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SessionResumer', () => {
  it('brings back what it owns, and nothing it released', async () => {
    const book = resumer();
    book.owned({ id: 's1', name: 'one', cwd: '/w', cols: 100, rows: 30 });
    book.owned({ id: 's2', name: 'two', cwd: '/w', cols: 80, rows: 24 });
    book.released('s2');
    await book.resumeAll();
    expect(created).toEqual([
      {
        name: 'one',
        cwd: '/w',
        cols: 100,
        rows: 30,
        resumes: { id: 's1', transcript: false, worktree: null },
      },
    ]);
  });

  it('resumes a conversation it finds a transcript for and tells its open task to carry on', async () => {
    mkdirSync(join(dir, 'claude', 'projects', '-w'), { recursive: true });
    writeFileSync(join(dir, 'claude', 'projects', '-w', 's1.jsonl'), '{}\n');
    const book = resumer();
    book.owned({ id: 's1', name: 'one', cwd: '/w', cols: 100, rows: 30 });
    await book.resumeAll();
    expect(created[0]?.resumes?.transcript).toBe(true);
    expect(typed).toHaveLength(1);
    expect(typed[0]![1]).toMatch(/^\[switchboard\] The hub restarted .* Task t1 \("fix it"\) is still open/);
    // What was still queued for the task is dropped first: a second restart never queues it twice.
    expect(dropped).toEqual(['t1']);
  });

  it('types a delivered task in again even when the conversation resumes (it may never have been submitted)', async () => {
    mkdirSync(join(dir, 'claude', 'projects', '-w'), { recursive: true });
    writeFileSync(join(dir, 'claude', 'projects', '-w', 's4.jsonl'), '{}\n');
    const book = resumer();
    book.owned({ id: 's4', name: 'four', cwd: '/w', cols: 100, rows: 30 });
    await book.resumeAll();
    expect(created[0]?.resumes?.transcript).toBe(true);
    expect(typed).toEqual([['s4', expect.stringContaining('[switchboard task t4] fix it'), 't4']]);
  });

  it('stops starting sessions once the hub is closing', async () => {
    const book = resumer();
    book.owned({ id: 's1', name: 'one', cwd: '/w', cols: 100, rows: 30 });
    book.owned({ id: 's2', name: 'two', cwd: '/w', cols: 100, rows: 30 });
    let closing = false;
    const original = book['ports'].create;
    book['ports'].create = async (options) => {
      closing = true; // the hub starts closing while the first session starts
      return original(options);
    };
    await book.resumeAll(() => closing);
    expect(created.map((options) => options.name)).toEqual(['one']);
  });

  it('without a transcript starts fresh and types the open task in again', async () => {
    const book = resumer();
    book.owned({ id: 's1', name: 'one', cwd: '/w', cols: 100, rows: 30 });
    await book.resumeAll();
    expect(typed).toEqual([['s1', expect.stringContaining('[switchboard task t1] fix it'), 't1']]);
  });

  it('takes another name when its own is taken, and lets go of one that cannot start', async () => {
    taken.add('one');
    const book = resumer();
    book.owned({ id: 's1', name: 'one', cwd: '/w', cols: 100, rows: 30 });
    book.owned({ id: 's3', name: 'three', cwd: '/gone', cols: 80, rows: 24 });
    const back = await book.resumeAll();
    expect(back.map((session) => session.name)).toEqual(['one-resumed']);
    expect(book.list().map((owned) => owned.id)).toEqual(['s1']);
    expect(book.isOwned('s3')).toBe(false);
    // Its open tasks fail, saying why, instead of waiting for their deadline.
    expect(lost).toEqual([['s3', expect.stringContaining('could not start again after a hub restart')]]);
  });
});

describe('hasTranscript', () => {
  it('looks in every project folder of the config directory, and copes with none', () => {
    expect(hasTranscript(join(dir, 'nowhere'), 's1')).toBe(false);
    mkdirSync(join(dir, 'projects', '-a'), { recursive: true });
    mkdirSync(join(dir, 'projects', '-b'), { recursive: true });
    writeFileSync(join(dir, 'projects', '-b', 's9.jsonl'), '');
    expect(hasTranscript(dir, 's9')).toBe(true);
    expect(hasTranscript(dir, 's1')).toBe(false);
  });
});
