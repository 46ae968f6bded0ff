// Issue 13 item 7: the collapsed rail's labels tell sibling sessions apart.
import { describe, expect, it } from 'vitest';
import { railLabels } from './railLabels.js';

describe('railLabels', () => {
  it('keeps trailing numbers: sh1..sh4 read s1..s4, not four times "sh"', () => {
    expect(railLabels(['sh1', 'sh2', 'sh3', 'sh4'])).toEqual(['s1', 's2', 's3', 's4']);
    expect(railLabels(['worker-12', 'worker-123'])).toEqual(['w12', 'w23']);
  });

  it('uses word initials, and two letters for one word', () => {
    expect(railLabels(['api-server-refactor', 'frontend-tests', 'docs'])).toEqual(['as', 'ft', 'do']);
  });

  it('makes colliding labels distinct and never longer than three characters', () => {
    const names = ['shell', 'shore', 'shape', 'docs-writer', 'deploy-worker', 'dw'];
    const labels = railLabels(names);
    expect(new Set(labels).size).toBe(names.length);
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(3);
    // Each keeps its name's first letter.
    labels.forEach((label, index) => expect(label[0]).toBe(names[index]![0]));
  });

  it('gives equal names a number rather than the same label', () => {
    expect(new Set(railLabels(['a', 'a', 'a'])).size).toBe(3);
  });
});
