// The shape of the code (issue 14): no import circles between files, and no source file over 400 lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { circles, root, sourceFiles } from './importGraph.js';

const FOLDERS = [
  'src-protocol',
  'src-hub',
  'src-cli',
  'src-main',
  'src-preload',
  'src-renderer',
  'src-worker',
];

describe('code structure', () => {
  it('has no import circles between files', () => {
    expect(circles(sourceFiles(FOLDERS))).toEqual([]);
  });

  it('finds a circle where there is one (the check reads imports right)', () => {
    const files = ['test/fixtures/circle/a.ts', 'test/fixtures/circle/b.ts', 'test/fixtures/circle/c.ts'];
    expect(circles(files)).toEqual([['test/fixtures/circle/a.ts', 'test/fixtures/circle/b.ts']]);
  });

  it('has no source file over 400 lines', () => {
    const long = sourceFiles(FOLDERS)
      .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').trimEnd().split('\n').length }))
      .filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });
});
