// The project's import graph, read from the TypeScript sources as text: for tests of its shape.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

/**
 * Relative and package imports of one file. `import()` expressions are left out; `import type` is kept
 * only with `types: true` (erased at run time, but still a tie between two files).
 */
export function importsOf(source: string, { types }: { types: boolean }): string[] {
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) if (types || !match[1]) found.push(match[2]!);
  return found;
}

/** A relative specifier as the `.ts`/`.tsx` file it names, or undefined when no such file exists. */
export function sourceFile(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base])
    if (existsSync(candidate) && candidate !== dirname(from)) return candidate;
  return undefined;
}

/** Every file reached from `entry` through static value imports, and every package they name. */
export function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'), { types: false })) {
      if (!specifier.startsWith('.')) packages.add(specifier);
      else {
        const target = sourceFile(file, specifier);
        if (target) visit(target);
      }
    }
  };
  visit(join(root, entry));
  return { files, packages };
}

/** Source files (not tests) under the given folders, as paths relative to the root. */
export function sourceFiles(folders: string[]): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        /\.tsx?$/.test(entry.name) &&
        !/\.test\.tsx?$/.test(entry.name) &&
        !entry.name.endsWith('.d.ts')
      )
        files.push(relative(root, path));
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files.sort();
}

/** Groups of files that import each other in a circle (strongly connected components of two or more). */
export function circles(files: string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const absolute = join(root, file);
    edges.set(
      file,
      importsOf(readFileSync(absolute, 'utf8'), { types: true })
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => sourceFile(absolute, specifier))
        .filter((target): target is string => target !== undefined)
        .map((target) => relative(root, target)),
    );
  }
  // Tarjan's algorithm, written out for a graph of a few hundred files.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1) found.push(group.sort());
  };
  for (const file of files) if (!index.has(file)) connect(file);
  return found;
}
