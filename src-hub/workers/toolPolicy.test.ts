// A worker tree's allowed tools: set by the root, inherited by children, never widened; kept in labels.
import { describe, expect, it } from 'vitest';
import { HubError } from '../../src-protocol/index.js';
import { infoOf, labelsFor, LABEL, recordFromLabels, type WorkerRecord } from './labels.js';
import { treeAllowedTools } from './toolPolicy.js';

describe('treeAllowedTools', () => {
  it('a new tree takes what it asks for (duplicates dropped), or none', () => {
    expect(treeAllowedTools(undefined, ['Edit', 'Bash(npm test)', 'Edit'], false)).toEqual([
      'Edit',
      'Bash(npm test)',
    ]);
    expect(treeAllowedTools(undefined, undefined, false)).toBeUndefined();
    expect(treeAllowedTools(undefined, [], false)).toBeUndefined();
  });

  it('a child inherits its tree’s, or narrows them', () => {
    expect(treeAllowedTools(['Edit', 'Bash(npm test)'], undefined, true)).toEqual(['Edit', 'Bash(npm test)']);
    expect(treeAllowedTools(['Edit', 'Bash(npm test)'], ['Edit'], true)).toEqual(['Edit']);
    expect(treeAllowedTools(undefined, undefined, true)).toBeUndefined();
  });

  it('a child asking for more than its tree has is refused with not_allowed, naming what and why', () => {
    const refusal = (() => {
      try {
        treeAllowedTools(['Edit'], ['Edit', 'Bash(rm *)'], true);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(HubError);
    expect(refusal).toMatchObject({ code: 'not_allowed' });
    expect((refusal as Error).message).toContain('"Bash(rm *)" is not among them ("Edit")');
    expect(() => treeAllowedTools(undefined, ['Edit'], true)).toThrow(/not among them \(none\)/);
  });
});

describe('allowed tools in container labels', () => {
  const record: WorkerRecord = {
    session: 's1',
    name: 'w',
    container: 'c1',
    image: 'img',
    repo: '/r',
    root: 's1',
    parent: null,
    depth: 1,
    task: null,
    ordinal: 1,
    deadlineAt: Date.parse('2026-01-01T00:00:00Z'),
    tokenHash: 'h',
    cols: 80,
    rows: 24,
    allowedTools: ['Bash(npm test)', 'Edit'],
  };

  it('survive a hub restart (the adopted record keeps them) and show in the session info', () => {
    const labels = labelsFor('hub', record);
    expect(recordFromLabels('c1', 'img', labels)?.allowedTools).toEqual(['Bash(npm test)', 'Edit']);
    expect(infoOf(record).allowedTools).toEqual(['Bash(npm test)', 'Edit']);
    const { allowedTools: _none, ...without } = record;
    expect(labelsFor('hub', without)[LABEL.allowedTools]).toBeUndefined();
    expect(infoOf(without)).not.toHaveProperty('allowedTools');
  });

  it('a label that is not a list of strings allows nothing', () => {
    for (const bad of ['{', '"Bash"', '[1]', '[]', 'null'])
      expect(
        recordFromLabels('c1', 'img', { ...labelsFor('hub', record), [LABEL.allowedTools]: bad })
          ?.allowedTools,
      ).toBeUndefined();
  });
});
