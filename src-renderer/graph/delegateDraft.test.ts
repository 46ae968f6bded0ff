// The delegation form's title, prefilled from a pane's selection.
import { describe, expect, it } from 'vitest';
import { titleFromSelection } from './delegateDraft.js';

describe('titleFromSelection', () => {
  it('takes the first non-blank line, with its spaces collapsed', () => {
    expect(titleFromSelection('\n   \n  FAIL   test/api.test.ts  \nmore lines')).toBe(
      'FAIL test/api.test.ts',
    );
  });

  it('cuts a long line to 80 characters with an ellipsis, and gives nothing for no selection', () => {
    const title = titleFromSelection('x'.repeat(200));
    expect(title).toHaveLength(80);
    expect(title.endsWith('…')).toBe(true);
    expect(titleFromSelection('')).toBe('');
    expect(titleFromSelection(' \n\t\n')).toBe('');
  });
});
