// The inbox (issue 11): everything a session waits on a human for — a permission request, a dialog on its
// screen, a question, finished work to review — as items any client lists, watches and answers.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { RequestIdSchema, request } from './base.js';

export const InboxKindSchema = lazySchema(() =>
  z.enum([
    'permission', // Claude Code's PermissionRequest hook, held open until answered (or the hold runs out)
    'dialog', // a menu on the session's screen (the auto-mode dialog, folder trust, …), answered by a choice
    'question', // the session asks for input (Notification hooks, screen questions), answered by text
    'review', // a task ended in a worktree with changes: merge, rebase or discard it
    'fault', // a worker could not start for a reason only a person can fix (RBAC, image, cluster): dismiss it
  ]),
);
export type InboxKind = z.infer<typeof InboxKindSchema>;

/** One option of a dialog, in the dialog's own words; `current` marks where its cursor is. */
export const InboxChoiceSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    label: z.string(),
    current: z.boolean(),
  }),
);
export type InboxChoice = z.infer<typeof InboxChoiceSchema>;

/** The task an item's session serves, and the chain of delegations above it (root first). */
export const InboxTaskSchema = lazySchema(() => z.object({ id: z.string(), title: z.string() }));
export const InboxChainLinkSchema = lazySchema(() =>
  z.object({
    session: z.string().nullable(),
    name: z.string(),
    task: z.string().nullable(),
  }),
);

/** A finished task's worktree: what a review item merges, rebases or discards. */
export const InboxReviewSchema = lazySchema(() =>
  z.object({
    task: z.string(),
    branch: z.string(),
    files: z.number().int(),
    insertions: z.number().int(),
    deletions: z.number().int(),
    summary: z.string(),
  }),
);

/** A worker that could not start: the coded error (its message, the fix, is the item's `message`). */
export const InboxFaultSchema = lazySchema(() =>
  z.object({
    code: z.string(),
    runtime: z.enum(['docker', 'kubernetes']),
    /** The image asked for; absent: the runtime's default. */
    image: z.string().optional(),
  }),
);

export const InboxItemSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    kind: InboxKindSchema,
    session: z.string(),
    sessionName: z.string(),
    /** One line for a list: `Bash: rm -rf build`, `Auto mode can't check actions …`, `Task done: …`. */
    title: z.string(),
    /** Permission items: the tool and its input as Claude Code sent them. */
    tool: z.string().optional(),
    input: z.record(z.string(), z.unknown()).optional(),
    /** Edits (Edit, MultiEdit, Write): the file and a unified diff of the change. */
    diff: z.object({ file: z.string(), patch: z.string() }).optional(),
    /** Permission items: what "always allow" adds (Claude Code's own suggestions), in words; empty: none. */
    suggestions: z.array(z.string()).optional(),
    /** Dialog items: the dialog's choices. */
    choices: z.array(InboxChoiceSchema).optional(),
    /** Questions and dialogs: the text on screen or in the notification; faults: the error and its fix. */
    message: z.string().optional(),
    review: InboxReviewSchema.optional(),
    fault: InboxFaultSchema.optional(),
    task: InboxTaskSchema.nullable().optional(),
    chain: z.array(InboxChainLinkSchema).optional(),
    since: z.string(),
    /** When a held permission request stops waiting and Claude Code's own prompt takes over. */
    expiresAt: z.string().optional(),
    /** For this viewer: it may see the item but not answer it (an observer, a driver of another session). */
    readOnly: z.boolean(),
  }),
);
export type InboxItem = z.infer<typeof InboxItemSchema>;

/** How an item is answered; which actions fit which kind is in docs/protocol.md ("The inbox"). */
export const InboxAnswerSchema = lazySchema(() =>
  z.discriminatedUnion('action', [
    z.object({ action: z.literal('allow'), always: z.boolean().optional() }).strict(),
    z.object({ action: z.literal('deny'), message: z.string().max(4000).optional() }).strict(),
    z.object({ action: z.literal('choose'), choice: z.string().min(1).max(64) }).strict(),
    z.object({ action: z.literal('reply'), text: z.string().min(1).max(10_000) }).strict(),
    z
      .object({
        action: z.literal('merge'),
        mode: z.enum(['merge', 'rebase', 'discard']),
        force: z.boolean().optional(),
      })
      .strict(),
    z.object({ action: z.literal('dismiss') }).strict(),
  ]),
);
export type InboxAnswer = z.infer<typeof InboxAnswerSchema>;

export const InboxItemRefSchema = lazySchema(() => z.string().min(1).max(100));

export const InboxListSchema = lazySchema(() => request('inbox.list', {}));
export const InboxAnswerRequestSchema = lazySchema(() =>
  request('inbox.answer', {
    /** An item id or a unique prefix of one. */
    item: InboxItemRefSchema,
    answer: InboxAnswerSchema,
  }),
);

export const InboxItemsSchema = lazySchema(() =>
  z.object({
    type: z.literal('inbox.items'),
    replyTo: RequestIdSchema,
    items: z.array(InboxItemSchema),
  }),
);

export const InboxAnsweredSchema = lazySchema(() =>
  z.object({
    type: z.literal('inbox.answered'),
    replyTo: RequestIdSchema,
    item: z.string(),
    /** What happened, in words (`Allowed Bash.`, `Merged branch x.`, `Conflict in 2 files.`). */
    message: z.string(),
    /** Review items: git's outcome (a conflict leaves the item open). */
    outcome: z.enum(['merged', 'rebased', 'discarded', 'conflict']).optional(),
  }),
);

/** Who answered an item, and from where; carried on `removed` events and recorded in the event table. */
export const InboxAnswererSchema = lazySchema(() =>
  z.object({
    name: z.string(),
    /** `owner`, `driver`, or `terminal` when someone answered in the session's own TUI. */
    role: z.string(),
    client: z.string().nullable(),
    address: z.string().nullable(),
  }),
);

/**
 * Pushed live: to owners, and to invitees for the sessions their invite covers (`readOnly` set for those
 * who may not answer). `removed` says why the item left.
 */
export const InboxChangedSchema = lazySchema(() =>
  z.object({
    type: z.literal('inbox.changed'),
    kind: z.enum(['added', 'updated', 'removed']),
    item: InboxItemSchema,
    reason: z.enum(['answered', 'answered_in_terminal', 'expired', 'session_ended', 'gone']).optional(),
    answeredBy: InboxAnswererSchema.optional(),
  }),
);
export type InboxChanged = z.infer<typeof InboxChangedSchema>;
