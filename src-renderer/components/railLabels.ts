// The collapsed sidebar's short labels (issue 13 item 7): at most three characters per session, and no two
// alike among the rail's sessions, so sh1..sh4 read s1..s4 rather than four times "sh". The full name stays
// in the button's tooltip.

const MAX = 3;

/** The label a name asks for on its own: first letter and trailing digits, word initials, or two letters. */
function preferred(name: string): string {
  const digits = /(\d+)$/.exec(name)?.[1];
  const letters = name.replace(/\d+$/, '');
  if (digits && letters.length > 0) return (letters[0]! + digits.slice(-(MAX - 1))).slice(0, MAX);
  const words = name.split(/[-_.\s]+/).filter(Boolean);
  if (words.length > 1)
    return words
      .map((word) => word[0])
      .join('')
      .slice(0, 2);
  return name.slice(0, 2);
}

/** Other labels of the name, tried in order when its preferred one is taken: first letter and a later one. */
function* alternatives(name: string): Generator<string> {
  const head = name[0] ?? '';
  for (const next of name.slice(1)) if (/[\p{L}\p{N}]/u.test(next)) yield head + next;
  for (const a of name.slice(1)) for (const b of name.slice(1)) yield head + a + b;
}

/** A label per name, distinct among `names` as far as the names allow (equal names get a number). */
export function railLabels(names: readonly string[]): string[] {
  const wanted = names.map(preferred);
  const count = new Map<string, number>();
  for (const label of wanted) count.set(label, (count.get(label) ?? 0) + 1);
  const used = new Set(wanted.filter((label) => count.get(label) === 1));
  return names.map((name, index) => {
    const label = wanted[index]!;
    if (count.get(label) === 1) return label;
    for (const candidate of [label, ...alternatives(name)]) {
      if (!used.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
    for (let number = 1; ; number++) {
      const candidate = (name[0] ?? '') + String(number);
      if (!used.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
  });
}
