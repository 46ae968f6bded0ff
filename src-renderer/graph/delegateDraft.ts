// What the graph's delegation form starts from (issue 17): where the edge was drawn, and a title taken
// from the source pane's selected text.

export interface DelegateDraft {
  /** The node dragged from: "you" or a session whose pane's selected text prefills the title. */
  from: string;
  /** A Claude session, or NEW_SESSION_NODE for a new session in a directory. */
  to: string;
}

/** A one-line title from a pane's selection: its first non-blank line, spaces collapsed, at most 80 characters. */
export function titleFromSelection(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
