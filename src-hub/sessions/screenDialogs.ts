// A dialog on a session's screen, read as its question and its own choices with the keys that pick each:
// a cursor menu (`❯ 1. Yes` / `  2. No`, `❯ No, exit` / `  Yes, I trust this folder`) is walked with the
// arrow keys, then Enter; a dialog without one (the auto-mode dialog) names its keys on a hint line
// ("Enter to stay in auto mode · shift+Tab to leave … · Esc to cancel"). Only dialogs the status engine
// recognizes (screenStatus.ts QUESTIONS) count, so an answer that quotes a dialog is never taken for one.
import { QUESTIONS } from './screenStatus.js';

export interface DialogChoice {
  id: string;
  label: string;
  current: boolean;
  /** What to type, in order, with a pause between (a menu takes Enter only once the cursor has moved). */
  keys: string[];
}

export interface ScreenDialog {
  /** The status engine's name for it: `folder trust`, `permission`, `auto mode`, … */
  name: string;
  /** The question as the screen shows it. */
  message: string;
  choices: DialogChoice[];
}

const KEYS: Record<string, string> = { enter: '\r', esc: '\x1b', 'shift+tab': '\x1b[Z', tab: '\t' };
const UP = '\x1b[A';
const DOWN = '\x1b[B';

/** The dialog on screen with its choices, if the status engine recognizes one and its choices can be read. */
export function dialogOnScreen(lines: readonly string[]): ScreenDialog | undefined {
  const text = lines.join('\n');
  const found = QUESTIONS.find(([, question, menu]) => question.test(text) && menu.test(text));
  if (!found) return undefined;
  const [name, question, menu] = found;
  const message = lines.find((line) => question.test(line))?.trim() ?? name;
  const menuLine = lines.findIndex((line) => menu.test(line));
  const choices = lines[menuLine]?.includes('❯')
    ? menuChoices(lines, menuLine)
    : hintChoices(lines[menuLine] ?? '');
  return choices.length > 0 ? { name, message, choices } : undefined;
}

/** The options of a cursor menu around the line with `❯`: same indentation, no blank line between. */
function menuChoices(lines: readonly string[], cursorLine: number): DialogChoice[] {
  const cursor = lines[cursorLine]!;
  const start =
    cursor.indexOf('❯') + 1 + (/^\s*/.exec(cursor.slice(cursor.indexOf('❯') + 1))?.[0].length ?? 0);
  const isOption = (line: string | undefined) =>
    line !== undefined &&
    line.length > start &&
    line[start] !== ' ' &&
    /^\s*(❯\s*)?$/.test(line.slice(0, start));
  let first = cursorLine;
  while (isOption(lines[first - 1])) first -= 1;
  let last = cursorLine;
  while (isOption(lines[last + 1])) last += 1;
  const options = lines.slice(first, last + 1).map((line) =>
    line
      .slice(start)
      .trim()
      .replace(/^\d+\.\s+/, ''),
  );
  const at = cursorLine - first;
  return options.map((label, index) => ({
    id: String(index + 1),
    label,
    current: index === at,
    keys: [...(index > at ? [DOWN.repeat(index - at)] : index < at ? [UP.repeat(at - index)] : []), '\r'],
  }));
}

/** "Enter to stay in auto mode · shift+Tab to leave … · Esc to cancel": one choice per key named. */
function hintChoices(line: string): DialogChoice[] {
  return line
    .split('·')
    .map((part) => /^\s*(Enter|Esc|shift\+Tab|Tab)\s+to\s+(.+?)\s*$/i.exec(part))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match, index) => ({
      id: String(index + 1),
      label: `${match[2]!.charAt(0).toUpperCase()}${match[2]!.slice(1)} (${match[1]})`,
      current: false,
      keys: [KEYS[match[1]!.toLowerCase()]!],
    }));
}
