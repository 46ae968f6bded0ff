// Claude Code's input box, read from the screen: the rows between the last two horizontal rules. The
// prompt injector uses it to see whether text it typed is still sitting there unsent (an Enter that
// arrived while Claude Code was still taking in the paste becomes a newline in the box, not a submit).

/** A rule line of the input box: nothing but box-drawing dashes, at least this many. */
const RULE = /^\s*─{20,}\s*$/;
/** How Claude Code shows a long paste in the box instead of its text. */
const PASTE_PLACEHOLDER = /\[Pasted text #\d+/;
/** Characters of the text's first line looked for in the box (a long line wraps). */
const FINGERPRINT_CHARS = 16;

/** The input box's rows, or undefined when the screen shows no box. */
export function promptBoxRows(lines: readonly string[]): string[] | undefined {
  const rules: number[] = [];
  lines.forEach((line, index) => RULE.test(line) && rules.push(index));
  if (rules.length < 2) return undefined;
  const [top, bottom] = rules.slice(-2) as [number, number];
  return lines.slice(top + 1, bottom);
}

/** Whether the input box still holds `text` (or the placeholder of a paste) typed but not sent. */
export function promptBoxHolds(lines: readonly string[], text: string): boolean {
  const rows = promptBoxRows(lines);
  if (!rows) return false;
  const box = rows.join(' ').replace(/\s+/g, ' ');
  if (PASTE_PLACEHOLDER.test(box)) return true;
  const first = (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().replace(/\s+/g, ' ');
  return first !== '' && box.includes(first.slice(0, FINGERPRINT_CHARS));
}
