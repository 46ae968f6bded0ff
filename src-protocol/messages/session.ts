// Session lifecycle: list, create, kill, remove, read the screen; and the events that report changes.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { SessionUsageSchema } from './usage.js';
import { ColsSchema, RequestIdSchema, RowsSchema, SessionRefSchema, request } from './base.js';

export const SessionStatusSchema = lazySchema(() =>
  z.enum([
    'starting',
    'running', // a plain command that the hub cannot read status from
    'working',
    'waiting',
    'idle',
    'failed',
    'ended',
    'unknown',
  ]),
);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** A branch name as the CLI takes it; git checks the rest (`git check-ref-format`). */
export const BranchSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\s~^:?*[\\]+$/, 'a git branch name'),
);

/** `true` for a worktree on a new branch named after the session, or the branch to use. */
export const WorktreeRequestSchema = lazySchema(() => z.union([z.boolean(), BranchSchema]));

export const WorktreeInfoSchema = lazySchema(() =>
  z.object({
    repo: z.string(),
    path: z.string(),
    branch: z.string(),
    /** Uncommitted entries in the worktree; null where the hub did not look (events). */
    dirty: z.number().int().nonnegative().nullable(),
  }),
);

/**
 * Tools a Docker worker tree runs without asking (Claude Code's `--allowedTools` rules, e.g. `Bash(npm test)`,
 * `Edit`); anything else asks through the inbox. Children inherit their tree's (docs/workers.md).
 */
export const AllowedToolsSchema = lazySchema(() => z.array(z.string().min(1).max(200)).min(1).max(64));

/** A session whose process runs in a Docker worker container (docs/workers.md). */
export const WorkerInfoSchema = lazySchema(() =>
  z.object({
    container: z.string(),
    image: z.string(),
    /** The host directory mounted (or copied) at /workspace. */
    repo: z.string(),
    /** The first worker of this tree (itself for a root), the worker that started it, its depth (root = 1). */
    root: z.string(),
    parent: z.string().nullable(),
    depth: z.number().int().positive(),
    /** The task it was started for (spawn_worker), if any. */
    task: z.string().nullable(),
    /** Docker only: the tools its tree runs without asking (absent: none, every request asks). */
    allowedTools: z.array(z.string()).optional(),
    /** Where it runs: a Docker container (absent: docker, as before) or a Kubernetes pod (`container` is its name). */
    runtime: z.enum(['docker', 'kubernetes']).optional(),
    /** Kubernetes only: the node the pod runs on (null until scheduled) and its phase when last seen. */
    node: z.string().nullable().optional(),
    phase: z.string().optional(),
  }),
);
export type WorkerInfo = z.infer<typeof WorkerInfoSchema>;

export const SessionInfoSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    /** `claude`: launched with the hub's profile (MCP tools, hooks, status); `command`: any other program. */
    kind: z.enum(['claude', 'command']),
    cwd: z.string(),
    command: z.string(),
    args: z.array(z.string()),
    status: SessionStatusSchema,
    pid: z.number().int().nullable(),
    cols: ColsSchema,
    rows: RowsSchema,
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    signal: z.number().int().nullable(),
    clients: z.number().int().nonnegative(),
    leaseHolder: z.string().nullable(),
    worktree: WorktreeInfoSchema.nullable(),
    /** Set for Docker workers; absent or null for sessions on the hub's machine. */
    worker: WorkerInfoSchema.nullable().optional(),
    /** Claude sessions: token use read from the session's transcript (null before its first reply). */
    usage: SessionUsageSchema.nullable().optional(),
  }),
);
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** The naming rule for sessions, in words, for messages that tell a person what to type instead. */
export const SESSION_NAME_RULE =
  'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters';
export const SESSION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const NameSchema = lazySchema(() =>
  z.string().min(1).max(64).regex(SESSION_NAME_PATTERN, SESSION_NAME_RULE),
);

/** The nearest name that follows the rule: runs of other characters become "-". */
function suggestName(value: string): string {
  const name = value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return name.length > 0 ? name : 'build-1';
}

/** Why `value` cannot name a session, in words that state the rule and suggest a name; null when it can. */
export function sessionNameProblem(value: string): string | null {
  if (SESSION_NAME_PATTERN.test(value)) return null;
  return `${JSON.stringify(value)} cannot name a session: use ${SESSION_NAME_RULE} (for example ${suggestName(value)}).`;
}

export const SessionCreateSchema = lazySchema(() =>
  request('session.create', {
    name: NameSchema.optional(),
    cwd: z.string().min(1).max(4096).optional(),
    command: z.string().min(1).max(4096).optional(),
    args: z.array(z.string().max(65536)).max(1000).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cols: ColsSchema.optional(),
    rows: RowsSchema.optional(),
    /** Claude sessions only: the session's first input. */
    prompt: z.string().min(1).max(100_000).optional(),
    /** Run in a git worktree of the repository around `cwd`, on a new (or the named) branch. */
    worktree: WorktreeRequestSchema.optional(),
    /** Start the session in a Docker worker container (`cwd` is the repository it mounts). */
    docker: z
      .object({ image: z.string().min(1).max(512).optional(), allowedTools: AllowedToolsSchema.optional() })
      .strict()
      .optional(),
    /** Start the session in a Kubernetes worker pod (docs/kubernetes.md); `cwd` is the repository it is for. */
    kubernetes: z
      .object({ image: z.string().min(1).max(512).optional() })
      .strict()
      .optional(),
  }),
);
export type SessionCreate = z.infer<typeof SessionCreateSchema>;

export const SessionListSchema = lazySchema(() => request('session.list', {}));
export const SessionKillSchema = lazySchema(() => request('session.kill', { session: SessionRefSchema }));
export const SessionRemoveSchema = lazySchema(() => request('session.remove', { session: SessionRefSchema }));
export const SessionScreenSchema = lazySchema(() => request('session.screen', { session: SessionRefSchema }));
/** Gives a session another name (owner only); answered with `session.created` carrying it as it is now. */
export const SessionRenameSchema = lazySchema(() =>
  request('session.rename', { session: SessionRefSchema, name: NameSchema }),
);
/**
 * Starts an ended session again under its id, name, directory and command (a Claude session resumes its
 * conversation); answered with `session.created`. A running one is refused with `session_running`.
 */
export const SessionRestartSchema = lazySchema(() =>
  request('session.restart', { session: SessionRefSchema }),
);
/** Starts a new session like this one (same command and directory, a new name); `session.created`. */
export const SessionDuplicateSchema = lazySchema(() =>
  request('session.duplicate', {
    session: SessionRefSchema,
    name: NameSchema.optional(),
  }),
);

export const SessionListResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('session.list.result'),
    replyTo: RequestIdSchema,
    sessions: z.array(SessionInfoSchema),
  }),
);

export const SessionCreatedSchema = lazySchema(() =>
  z.object({
    type: z.literal('session.created'),
    replyTo: RequestIdSchema,
    session: SessionInfoSchema,
  }),
);

export const ScreenSchema = lazySchema(() =>
  z.object({
    cols: ColsSchema,
    rows: RowsSchema,
    cursor: z.object({ x: z.number().int(), y: z.number().int() }),
    /** The visible rows as plain text, trailing blanks trimmed. */
    lines: z.array(z.string()),
  }),
);
export type Screen = z.infer<typeof ScreenSchema>;

export const SessionScreenResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('session.screen.result'),
    replyTo: RequestIdSchema,
    session: z.string(),
    screen: ScreenSchema,
  }),
);

/** Pushed to every authenticated client whenever a session is added, changes or is removed. */
export const SessionEventSchema = lazySchema(() =>
  z.object({
    type: z.literal('session.event'),
    kind: z.enum(['added', 'updated', 'removed']),
    session: SessionInfoSchema,
  }),
);
export type SessionEvent = z.infer<typeof SessionEventSchema>;
