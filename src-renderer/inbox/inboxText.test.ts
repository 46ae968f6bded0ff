// What an inbox item shows and which keys answer it, per kind.
import { describe, expect, it } from 'vitest';
import { chainText, inboxKey, inputView, keyHints, patchLines, readOnlyReason } from './inboxText.js';
import { inboxItem } from './testItems.js';

const key = (name: string, modifiers: Partial<{ ctrlKey: boolean; altKey: boolean }> = {}) => ({
  key: name,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...modifiers,
});
const permission = inboxItem('in-1', { suggestions: ['Allow Bash(touch:*) for this session'] });
const dialog = inboxItem('in-2', {
  kind: 'dialog',
  choices: [
    { id: 'stay', label: 'Stay in auto mode', current: true },
    { id: 'leave', label: 'Leave auto mode', current: false },
  ],
});
const question = inboxItem('in-3', { kind: 'question', message: 'Which branch?' });
const review = inboxItem('in-4', { kind: 'review' });
const fault = inboxItem('in-5', {
  kind: 'fault',
  fault: { code: 'image_not_found', runtime: 'kubernetes' },
  message: 'Push the image where the cluster pulls from.',
});

describe('inputView', () => {
  it('shows the command of a Bash request, with its description', () => {
    const view = inputView(inboxItem('x', { input: { command: 'rm -rf build', description: 'clean' } }));
    expect(view).toEqual({ command: 'rm -rf build', fields: [['why', 'clean']] });
  });

  it('shows the file of an edit (its diff apart), and every field of another tool', () => {
    const edit = inboxItem('x', {
      tool: 'Edit',
      input: { file_path: '/repo/a.ts', old_string: 'a', new_string: 'b' },
      diff: { file: '/repo/a.ts', patch: '@@ -1 +1 @@\n-a\n+b' },
    });
    expect(inputView(edit)).toEqual({ command: '/repo/a.ts', fields: [] });
    const fetch = inboxItem('x', { tool: 'WebFetch', input: { url: 'http://127.0.0.1/', depth: 2 } });
    expect(inputView(fetch).fields).toEqual([
      ['url', 'http://127.0.0.1/'],
      ['depth', '2'],
    ]);
  });

  it('colours a patch by line', () => {
    expect(patchLines('--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same').map((line) => line.kind)).toEqual([
      'ctx',
      'ctx',
      'hunk',
      'del',
      'add',
      'ctx',
    ]);
  });
});

describe('chainText', () => {
  it('names the chain root first and ends at the item’s session', () => {
    const item = inboxItem('x', {
      sessionName: 'tester',
      chain: [
        { session: null, name: 'you', task: null },
        { session: 's1', name: 'lead', task: 't1' },
      ],
    });
    expect(chainText(item)).toBe('you → lead → tester');
    expect(chainText(inboxItem('y'))).toBeUndefined();
  });
});

describe('inboxKey', () => {
  it('moves, opens and closes whatever the item', () => {
    expect(inboxKey(key('j'), undefined)).toEqual({ type: 'move', delta: 1 });
    expect(inboxKey(key('k'), permission)).toEqual({ type: 'move', delta: -1 });
    expect(inboxKey(key('Enter'), review)).toEqual({ type: 'open' });
    expect(inboxKey(key('Escape'), undefined)).toEqual({ type: 'close' });
    expect(inboxKey(key('Enter'), undefined)).toBeUndefined();
  });

  it('answers each kind with its own keys, and leaves modified keys to the app', () => {
    expect(inboxKey(key('a'), permission)).toEqual({ type: 'allow', always: false });
    expect(inboxKey(key('A'), permission)).toEqual({ type: 'allow', always: true });
    expect(inboxKey(key('A'), inboxItem('x'))).toBeUndefined(); // nothing to always allow
    expect(inboxKey(key('d'), permission)).toEqual({ type: 'deny' });
    expect(inboxKey(key('2'), dialog)).toEqual({ type: 'choose', choice: 'leave' });
    expect(inboxKey(key('3'), dialog)).toBeUndefined();
    expect(inboxKey(key('a'), dialog)).toBeUndefined();
    expect(inboxKey(key('r'), question)).toEqual({ type: 'reply' });
    expect(inboxKey(key('b'), review)).toEqual({ type: 'merge', mode: 'rebase' });
    expect(inboxKey(key('x'), review)).toEqual({ type: 'merge', mode: 'discard' });
    expect(inboxKey(key('x'), fault)).toEqual({ type: 'dismiss' });
    expect(inboxKey(key('m'), fault)).toBeUndefined();
    expect(inboxKey(key('a'), fault)).toBeUndefined();
    expect(inboxKey(key('a', { ctrlKey: true }), permission)).toBeUndefined();
  });

  it('lists the keys that fit the selected item', () => {
    expect(keyHints(permission)).toContain('A always allow');
    expect(keyHints(inboxItem('x'))).not.toContain('A always allow');
    expect(keyHints(dialog)).toContain('1–2 choose');
    expect(keyHints(question)).toContain('r reply…');
    expect(keyHints(fault)).toContain('x dismiss (once fixed)');
    expect(keyHints({ ...fault, readOnly: true })).not.toContain('x dismiss (once fixed)');
    expect(keyHints({ ...permission, readOnly: true })).not.toContain('a allow');
  });
});

describe('readOnlyReason', () => {
  it('tells an observer why it cannot answer', () => {
    expect(readOnlyReason('observer')).toContain('You joined to watch');
    expect(readOnlyReason('driver')).toContain('does not cover');
  });
});
