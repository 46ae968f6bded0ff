// How a permission request reads in a list: a one-line title, the diff of an edit, "always allow" in words.

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const oneLine = (value: string, max = 120) => {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** `Bash: npm test`, `Edit: src/a.ts`, `mcp__x__y`: the tool and what it acts on. */
export function permissionTitle(tool: string, input: Record<string, unknown>): string {
  const subject =
    text(input.command) ??
    text(input.file_path) ??
    text(input.url) ??
    text(input.pattern) ??
    text(input.path);
  return subject ? `${tool}: ${oneLine(subject)}` : tool;
}

const lines = (value: string, sign: '-' | '+') =>
  value === '' ? [] : value.split('\n').map((line) => `${sign}${line}`);

/**
 * The change an edit asks to make, as unified-diff hunks of the replaced text (Edit, MultiEdit) or the
 * whole new content (Write). Line numbers are not known from the request alone, so hunks have none.
 */
export function editDiff(
  tool: string,
  input: Record<string, unknown>,
): { file: string; patch: string } | undefined {
  const file = text(input.file_path);
  if (!file) return undefined;
  const header = [`--- ${file}`, `+++ ${file}`];
  const hunk = (before: string, after: string) => ['@@', ...lines(before, '-'), ...lines(after, '+')];
  if (tool === 'Write' && text(input.content) !== undefined)
    return { file, patch: [...header, ...hunk('', text(input.content)!)].join('\n') };
  if (tool === 'Edit' && text(input.old_string) !== undefined && text(input.new_string) !== undefined)
    return { file, patch: [...header, ...hunk(text(input.old_string)!, text(input.new_string)!)].join('\n') };
  if (tool === 'MultiEdit' && Array.isArray(input.edits)) {
    const hunks = (input.edits as Array<Record<string, unknown>>).flatMap((edit) =>
      hunk(text(edit.old_string) ?? '', text(edit.new_string) ?? ''),
    );
    return { file, patch: [...header, ...hunks].join('\n') };
  }
  return undefined;
}

/** One of Claude Code's permission suggestions in words, or undefined for those "always" leaves out. */
export function describeSuggestion(suggestion: unknown): string | undefined {
  if (typeof suggestion !== 'object' || suggestion === null) return undefined;
  const entry = suggestion as Record<string, unknown>;
  if (entry.type === 'addRules' && Array.isArray(entry.rules)) {
    const rules = (entry.rules as Array<Record<string, unknown>>).map((rule) =>
      text(rule.ruleContent) ? `${String(rule.toolName)}(${text(rule.ruleContent)})` : String(rule.toolName),
    );
    return `allow ${rules.join(', ')}`;
  }
  if (entry.type === 'addDirectories' && Array.isArray(entry.directories))
    return `allow access to ${entry.directories.map(String).join(', ')}`;
  return undefined; // setMode and the rest: more than "always allow this"
}
