// Attaching to a session's terminal: snapshot, live output, credit acks, input, resize, resync.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { ColsSchema, RequestIdSchema, RowsSchema, SessionRefSchema, request } from './base.js';

export const AttachModeSchema = lazySchema(() => z.enum(['drive', 'observe']));
export type AttachMode = z.infer<typeof AttachModeSchema>;

export const AttachRoleSchema = lazySchema(() => z.enum(['owner', 'driver', 'observer']));
export type AttachRole = z.infer<typeof AttachRoleSchema>;

/**
 * `terminal`: the path of the client's own terminal (`/dev/pts/N`), for an owner's attach over the hub's
 * local socket (issue 12). The hub then reads the keystrokes and writes the output there itself, as tmux's
 * server does with its clients' terminals: the attach process is off the echo's way. The snapshot's
 * `terminal` says whether the hub took it; when it did not, output comes as usual.
 */
export const AttachSchema = lazySchema(() =>
  request('attach', {
    session: SessionRefSchema,
    mode: AttachModeSchema,
    terminal: z
      .string()
      .max(64)
      .regex(/^\/dev\/pts\/\d{1,7}$/, 'a terminal path of the form /dev/pts/N')
      .optional(),
  }),
);
export const DetachSchema = lazySchema(() => request('detach', { session: SessionRefSchema }));

/** Ctrl-] detaches an attached terminal, as in telnet: it is rarely bound by shells or by Claude Code. */
export const DETACH_KEY = '\x1d';
/**
 * Ctrl-^ (Ctrl-6) asks for the input lease, or hands it to whoever asked while you hold it. Shells and
 * Claude Code leave it unbound; it never reaches the session.
 */
export const LEASE_KEY = '\x1e';

/**
 * The terminal's keys, as the attach command reads them (in its own process, or the hub in a terminal handed to it): Ctrl-] detaches (an observer also detaches on
 * Ctrl-C, its only other key), Ctrl-^ is the lease key. What comes before a detach is typed; nothing after.
 */
export interface TerminalKeys {
  /** What goes into the session (empty for an observer). */
  typed: string;
  lease: boolean;
  detach: boolean;
}

export function splitTerminalKeys(text: string, observe: boolean): TerminalKeys {
  const detachAt = text.indexOf(DETACH_KEY);
  const before = detachAt >= 0 ? text.slice(0, detachAt) : text;
  if (observe) return { typed: '', lease: false, detach: detachAt >= 0 || text.includes('\x03') };
  return {
    typed: before.replaceAll(LEASE_KEY, ''),
    lease: before.includes(LEASE_KEY),
    detach: detachAt >= 0,
  };
}

/** What a client writes before a snapshot's screen (and the hub, into a terminal it took): home, clear. */
export const CLEAR_SCREEN_BEFORE_SNAPSHOT = '\x1b[H\x1b[2J\x1b[3J';

/**
 * The first thing an attached client receives: the mirror's serialized screen and up to 1,000 rows of
 * scrollback, taken at `offset`. Write it into a terminal of `cols` x `rows`; live output follows from
 * `offset`. Also sent again after a resync.
 */
export const SnapshotSchema = lazySchema(() =>
  z.object({
    type: z.literal('pty.snapshot'),
    replyTo: RequestIdSchema.optional(),
    session: z.string(),
    role: AttachRoleSchema,
    offset: z.number().int().nonnegative(),
    cols: ColsSchema,
    rows: RowsSchema,
    data: z.string(),
    /**
     * `direct`: the hub wrote the screen (`data` is empty) and writes the output into the terminal the
     * attach named, and reads its keys; `relay`: it could not (the reason is in `terminalNote`), output
     * comes in frames. Absent when the attach named no terminal.
     */
    terminal: z.enum(['direct', 'relay']).optional(),
    terminalNote: z.string().max(500).optional(),
  }),
);

/**
 * A key the hub read in a terminal it took at attach (issue 12) that is the attach command's, not the
 * session's: `detach` (Ctrl-], or Ctrl-C for an observer; the hub has stopped reading the terminal) or
 * `lease` (Ctrl-^).
 */
export const TerminalKeySchema = lazySchema(() =>
  z.object({
    type: z.literal('terminal.key'),
    session: z.string(),
    key: z.enum(['detach', 'lease']),
  }),
);

/** Live output. `offset` counts UTF-16 code units of the session's output stream before `data`. */
export const OutputSchema = lazySchema(() =>
  z.object({
    type: z.literal('pty.output'),
    session: z.string(),
    offset: z.number().int().nonnegative(),
    data: z.string(),
  }),
);

/** The session's size changed at `offset` (in stream order with the output). */
export const ResizedSchema = lazySchema(() =>
  z.object({
    type: z.literal('pty.resized'),
    session: z.string(),
    offset: z.number().int().nonnegative(),
    cols: ColsSchema,
    rows: RowsSchema,
  }),
);

/** The client fell behind its credit; live output stops until it has acked what it got. */
export const ResyncSchema = lazySchema(() =>
  z.object({
    type: z.literal('pty.resync'),
    session: z.string(),
    reason: z.enum(['credit_exhausted', 'socket_backlog']),
  }),
);

/** The session's process exited; the client stays attached to the final screen until it detaches. */
export const ExitSchema = lazySchema(() =>
  z.object({
    type: z.literal('pty.exit'),
    session: z.string(),
    exitCode: z.number().int().nullable(),
    signal: z.number().int().nullable(),
  }),
);

/** Credit: how many more code units of output this client has processed since its last ack. */
export const AckSchema = lazySchema(() =>
  z
    .object({ type: z.literal('pty.ack'), session: SessionRefSchema, chars: z.number().int().positive() })
    .strict(),
);

/**
 * Keystrokes. Without `id` nothing answers a keystroke that went in (issue 12: an `ok` per keystroke cost
 * the hub a send and the typist's client a wake-up); a refused one still gets an `error` frame, without
 * `replyTo`. With `id`, the usual `ok` or `error` reply.
 */
export const InputSchema = lazySchema(() =>
  z
    .object({
      type: z.literal('pty.input'),
      id: RequestIdSchema.optional(),
      session: SessionRefSchema,
      data: z.string().min(1),
      /**
       * Type `data` as one submitted line, the way the session's program takes it: for Claude Code a
       * bracketed paste and then Enter once the paste has settled (Enter in the same chunk is taken as part
       * of the paste and never submits); for other programs the text and Enter.
       */
      submit: z.boolean().optional(),
    })
    .strict(),
);
export const InterruptSchema = lazySchema(() => request('pty.interrupt', { session: SessionRefSchema }));
export const ResizeSchema = lazySchema(() =>
  request('pty.resize', {
    session: SessionRefSchema,
    cols: ColsSchema,
    rows: RowsSchema,
  }),
);
