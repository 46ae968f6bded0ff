// What an inbox item says, in words and lines (its input, its chain, its age), and which key does what:
// pure, so the panel stays a view and the keys are tested without a browser.
import type { InboxItem, PrincipalRole } from '../../src-protocol/index.js';

export const KIND_LABEL: Record<InboxItem['kind'], string> = {
  permission: 'Permission',
  dialog: 'Dialog',
  question: 'Question',
  review: 'Review',
  fault: 'Fault',
};

const MAX_FIELD = 2_000;

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text;
};

/**
 * A permission's input as the panel shows it: the command for Bash, the file for edits (the diff is shown
 * apart), else each field of the input. `command` is what a human reads first.
 */
export function inputView(item: InboxItem): { command?: string; fields: Array<[string, string]> } {
  const input = item.input ?? {};
  if (typeof input.command === 'string') {
    const fields =
      typeof input.description === 'string' ? [['why', input.description] as [string, string]] : [];
    return { command: input.command, fields };
  }
  if (item.diff) return { command: item.diff.file, fields: [] };
  return { fields: Object.entries(input).map(([key, value]) => [key, show(value)]) };
}

/** The delegation chain above the item's session, root first: `you → lead → tester`. */
export function chainText(item: InboxItem): string | undefined {
  const names = (item.chain ?? []).map((link) => link.name);
  if (names.length === 0) return undefined;
  if (names.at(-1) !== item.sessionName) names.push(item.sessionName);
  return names.join(' → ');
}

/** "42 s", "5 min", "3 h" since an ISO time. */
export function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** Why this viewer may see an item but not answer it. */
export function readOnlyReason(role: PrincipalRole | undefined): string {
  return role === 'observer'
    ? 'You joined to watch: you see what sessions ask, but only the owner or a driver can answer.'
    : "Your invite does not cover this item's session: only its owner or its drivers can answer.";
}

/** Patch lines with their kind, for colouring a unified diff. */
export function patchLines(patch: string): Array<{ text: string; kind: 'add' | 'del' | 'hunk' | 'ctx' }> {
  return patch.split('\n').map((text) => ({
    text,
    kind: text.startsWith('@@')
      ? 'hunk'
      : text.startsWith('+') && !text.startsWith('+++')
        ? 'add'
        : text.startsWith('-') && !text.startsWith('---')
          ? 'del'
          : 'ctx',
  }));
}

export type InboxKeyAction =
  | { type: 'move'; delta: number }
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'allow'; always: boolean }
  | { type: 'deny' }
  | { type: 'choose'; choice: string }
  | { type: 'reply' }
  | { type: 'merge'; mode: 'merge' | 'rebase' | 'discard' }
  | { type: 'dismiss' };

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** What a key does in the Inbox panel for the selected item (undefined: not the panel's key). */
export function inboxKey(event: KeyLike, item: InboxItem | undefined): InboxKeyAction | undefined {
  if (event.ctrlKey || event.altKey || event.metaKey) return undefined;
  const { key } = event;
  if (key === 'j' || key === 'ArrowDown') return { type: 'move', delta: 1 };
  if (key === 'k' || key === 'ArrowUp') return { type: 'move', delta: -1 };
  if (key === 'Escape') return { type: 'close' };
  if (!item) return undefined;
  if (key === 'Enter' || key === 'o') return { type: 'open' };
  switch (item.kind) {
    case 'permission':
      if (key === 'a') return { type: 'allow', always: false };
      if (key === 'A' && item.suggestions?.length) return { type: 'allow', always: true };
      if (key === 'd') return { type: 'deny' };
      return undefined;
    case 'dialog': {
      const choice = /^[1-9]$/.test(key) ? item.choices?.[Number(key) - 1] : undefined;
      return choice ? { type: 'choose', choice: choice.id } : undefined;
    }
    case 'question':
      return key === 'r' ? { type: 'reply' } : undefined;
    case 'review':
      if (key === 'm') return { type: 'merge', mode: 'merge' };
      if (key === 'b') return { type: 'merge', mode: 'rebase' };
      if (key === 'x') return { type: 'merge', mode: 'discard' };
      return undefined;
    case 'fault':
      return key === 'x' ? { type: 'dismiss' } : undefined;
  }
}

/** The keys for the selected item, for the panel's footer. */
export function keyHints(item: InboxItem | undefined): string[] {
  const always = ['j/k move', 'Enter open session'];
  if (!item) return ['j/k move', 'Esc close'];
  if (item.readOnly) return [...always, 'read-only: you cannot answer it'];
  switch (item.kind) {
    case 'permission':
      return [...always, 'a allow', ...(item.suggestions?.length ? ['A always allow'] : []), 'd deny…'];
    case 'dialog':
      return [...always, `1–${Math.min(9, item.choices?.length ?? 1)} choose`];
    case 'question':
      return [...always, 'r reply…'];
    case 'review':
      return [...always, 'm merge', 'b rebase', 'x discard…'];
    case 'fault':
      return [...always, 'x dismiss (once fixed)'];
  }
}
