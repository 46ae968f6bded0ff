// Times one keystroke until every view of a system (a pty, an observer) shows its echo; and small waits.
import { performance } from 'node:perf_hooks';

/* eslint-disable no-control-regex -- terminal output is full of control sequences by nature */
// CSI, OSC, DCS, charset selection and two-byte escapes: what tmux wraps around an echoed character. And a
// CSI cut short by the next ESC, which a terminal drops: output skipped at a resync can end mid-sequence,
// and the snapshot after it starts with an ESC.
const ESCAPES =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\[[0-?]*[ -/]*(?=\x1b)|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()*+][0-9A-Za-z]|[^[\]P()*+])/g;
/* eslint-enable no-control-regex */

/** The printable text of terminal output; an escape sequence still incomplete at the end is cut off. */
export function visibleText(raw) {
  const text = raw.replace(ESCAPES, '');
  const cut = text.indexOf('\x1b');
  return cut === -1 ? text : text.slice(0, cut);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` (sync or async) every `intervalMs` until it is true; bounded in time and in iterations. */
export async function waitUntil(check, { timeoutMs = 10_000, intervalMs = 20, what = 'condition' } = {}) {
  const deadline = performance.now() + timeoutMs;
  const maxIterations = Math.ceil(timeoutMs / intervalMs) + 1;
  for (let iteration = 0; iteration < maxIterations && performance.now() <= deadline; iteration++) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
}

/**
 * One keystroke at a time: `keystroke` sends a character and resolves with the time until the first and
 * the last of `views` showed it (ms), or undefined on timeout. Systems call `feed` with each view's output;
 * output outside a keystroke is ignored, so redraws between samples cannot count.
 */
export class Probe {
  constructor(views) {
    this.views = views;
    this.active = false;
  }

  feed(index, text) {
    if (!this.active || this.seen[index]) return;
    this.buffers[index] += text;
    if (!visibleText(this.buffers[index]).includes(this.char)) return;
    const elapsed = performance.now() - this.start;
    this.seen[index] = true;
    this.first ??= elapsed;
    this.remaining -= 1;
    if (this.remaining === 0) this.settle({ first: this.first, last: elapsed });
  }

  keystroke(char, send, timeoutMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(undefined), timeoutMs);
      this.settle = (timing) => {
        clearTimeout(timer);
        this.active = false;
        resolve(timing);
      };
      this.char = char;
      this.buffers = new Array(this.views).fill('');
      this.seen = new Array(this.views).fill(false);
      this.remaining = this.views;
      this.first = undefined;
      this.active = true;
      this.start = performance.now();
      send(char);
    });
  }
}
