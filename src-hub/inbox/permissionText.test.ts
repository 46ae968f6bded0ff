// How permission requests read in the inbox: titles, the diff of an edit, "always allow" in words.
import { describe, expect, it } from 'vitest';
import { describeSuggestion, editDiff, permissionTitle } from './permissionText.js';

describe('permission text', () => {
  it('titles a request by its tool and what it acts on, on one bounded line', () => {
    expect(permissionTitle('Bash', { command: 'npm test\n  -- --watch' })).toBe('Bash: npm test -- --watch');
    expect(permissionTitle('Edit', { file_path: '/repo/a.ts' })).toBe('Edit: /repo/a.ts');
    expect(permissionTitle('mcp__x__y', {})).toBe('mcp__x__y');
    expect(permissionTitle('Bash', { command: 'x'.repeat(500) })).toHaveLength(126);
  });

  it('shows an edit as hunks of the replaced text, and a new file as added lines', () => {
    expect(editDiff('Edit', { file_path: '/r/a.ts', old_string: 'one\ntwo', new_string: 'one\n2' })).toEqual({
      file: '/r/a.ts',
      patch: '--- /r/a.ts\n+++ /r/a.ts\n@@\n-one\n-two\n+one\n+2',
    });
    expect(editDiff('Write', { file_path: '/r/b.txt', content: 'hello' })?.patch).toBe(
      '--- /r/b.txt\n+++ /r/b.txt\n@@\n+hello',
    );
    const multi = editDiff('MultiEdit', {
      file_path: '/r/c.ts',
      edits: [
        { old_string: 'a', new_string: 'b' },
        { old_string: 'c', new_string: '' },
      ],
    });
    expect(multi?.patch).toBe('--- /r/c.ts\n+++ /r/c.ts\n@@\n-a\n+b\n@@\n-c');
    expect(editDiff('Bash', { command: 'ls' })).toBeUndefined();
  });

  it("says what Claude Code's suggestions would allow, and leaves out mode switches", () => {
    expect(
      describeSuggestion({
        type: 'addRules',
        rules: [{ toolName: 'Bash', ruleContent: 'npm test' }, { toolName: 'Read' }],
      }),
    ).toBe('allow Bash(npm test), Read');
    expect(describeSuggestion({ type: 'addDirectories', directories: ['/tmp/x'] })).toBe(
      'allow access to /tmp/x',
    );
    expect(describeSuggestion({ type: 'setMode', mode: 'acceptEdits' })).toBeUndefined();
    expect(describeSuggestion(null)).toBeUndefined();
  });
});
