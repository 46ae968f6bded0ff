// Process inspection for tests that check nothing survives: liveness and descendants, from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

/** Is `pid` a live process? A zombie has ended: it only waits for a parent that is not ours to reap it. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** Every descendant of `pid`, read from /proc (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // It ended while we looked.
    }
  }
  const result: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      result.push(child);
      visit(child);
    }
  };
  visit(pid);
  return result;
}
