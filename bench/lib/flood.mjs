// The output flood both bench/budgets.mjs and bench/attach.mjs time: a program that floods log lines then
// prints a marker, and a watch that notes when each view shows the marker (keeping only a short tail).
import { performance } from 'node:perf_hooks';
import { visibleText } from './probe.mjs';

const FLOOD_LINE =
  '\\033[32mINFO\\033[0m build: compiling src/module/component.ts, 120 modules transformed, 3 chunks ok';
/** Prints READY, waits for a line of input, then floods `bytes` bytes of log lines and a marker. */
export const floodScript = (bytes, marker) =>
  `line=$(printf '${FLOOD_LINE}'); printf READY; read go; yes "$line" | head -c ${bytes}; ` +
  `printf '\\n%s%s\\n' '${marker.slice(0, 4)}' '${marker.slice(4)}'; exec cat`;

/** Watches views for a marker, keeping only a short tail of each; `strip` removes escape sequences first. */
export class MarkerWatch {
  constructor(views, marker, strip) {
    this.marker = marker;
    this.strip = strip;
    this.tails = new Array(views).fill('');
    this.doneAt = new Array(views).fill(undefined);
    this.chars = new Array(views).fill(0);
    this.chunks = 0;
    this.remaining = views;
    this.armed = false;
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  feed(index, data, at = performance.now()) {
    this.chars[index] += data.length;
    this.chunks += 1;
    if (!this.armed || this.doneAt[index] !== undefined) return;
    const text = this.tails[index] + data;
    const visible = this.strip ? visibleText(text) : text;
    if (visible.includes(this.marker)) {
      this.doneAt[index] = at;
      this.remaining -= 1;
      if (this.remaining === 0) this.resolve();
      return;
    }
    this.tails[index] = text.slice(this.strip ? -512 : -this.marker.length);
  }

  /** Each view that never showed the marker: what it got, and the end of it (a stall or a loss?). */
  unfinished() {
    return this.doneAt.flatMap((at, index) =>
      at === undefined
        ? [
            `view ${index} has no marker after ${this.chars[index]} chars; ` +
              `its tail: ${JSON.stringify(this.tails[index].slice(-200))}`,
          ]
        : [],
    );
  }

  arm() {
    this.armed = true;
    this.tails.fill('');
    this.chars.fill(0);
    this.chunks = 0;
  }
}
