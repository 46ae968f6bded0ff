// Every tunable of the byte path and the guards, in one place, each with its unit and its reason.
import { HubError } from '../src-protocol/index.js';

export const LIMITS = {
  /** chars: flush a batch of pty output at once when it reaches this size, without waiting a turn. */
  outputBatchMaxChars: 64 * 1024,
  /**
   * ms: output arriving within this long of the last flush waits this long before it goes out, so a
   * stream leaves in large frames; output after a quiet spell (a keystroke's echo) goes at once.
   */
  outputCoalesceMs: 4,
  /**
   * chars: output a client may hold unacked. Past it the client is dropped to resync rather than the
   * session slowed (a slow viewer must never throttle the agent). 2M chars is several seconds of a fast
   * flood for xterm.js (5–35 MB/s), so a healthy client never hits it.
   */
  creditChars: 2_000_000,
  /** bytes: a socket's send buffer past this means the peer is not reading; drop it to resync too. */
  socketBacklogBytes: 8 * 1024 * 1024,
  /** chars: the mirror is the only consumer allowed to pause the pty; pause above, resume below. */
  mirrorHighChars: 1_000_000,
  mirrorLowChars: 100_000,
  /** rows of scrollback the mirror keeps and a snapshot carries (serializing costs grow with rows). */
  scrollbackRows: 1000,
  /** ms: a snapshot waits for a DEC 2026 synchronized frame to end, at most this long. */
  syncFrameWaitMs: 250,
  /** ms: resizes closer together than this are coalesced (a resize makes Claude Code redraw). */
  resizeDebounceMs: 250,
  /** ms: a driver holding the input lease without typing for this long loses it. */
  leaseIdleMs: 30_000,
  /** chars: a message larger than this is refused with `frame_too_large`; the connection stays. */
  maxFrameChars: 1024 * 1024,
  /** bytes: a frame beyond this is not even read: the socket is closed (protects memory). */
  hardMaxPayloadBytes: 16 * 1024 * 1024,
  /** ms: a connection must authenticate within this time. */
  authTimeoutMs: 5_000,
  /**
   * bytes: what a connection may send before it has authenticated. An `auth` frame is a few hundred bytes;
   * past this the connection is closed before the frame is read whole (an unauthenticated peer must not
   * make the hub buffer megabytes).
   */
  preAuthMaxBytes: 8 * 1024,
  /** connections from one address that have not authenticated yet; more are refused until some do. */
  pendingConnectionsPerAddress: 16,
  /** connections that have not authenticated yet, from all addresses together. */
  pendingConnectionsTotal: 64,
  /**
   * TLS connections to the LAN listener from one address that have not finished their handshake (each holds
   * a socket for up to 10 s); more from that address are cut off at once. A browser opens about six.
   */
  pendingHandshakesPerAddress: 16,
  /** unfinished TLS handshakes from all addresses together. */
  pendingHandshakesTotal: 64,
  /**
   * bytes: everything queued for one client (replies, events, output). Past it the client is not reading
   * and is disconnected; above socketBacklogBytes, where output alone already drops it to resync.
   */
  clientQueueMaxBytes: 16 * 1024 * 1024,
  /** failed authentications per address per minute before further attempts get `rate_limited`. */
  authFailuresPerMinute: 10,
  /**
   * ms: the audit of typed input (event table and log line) is written this long after, in one batch with
   * the keystrokes that came meanwhile: longer than the time between two keystrokes, so typing costs one
   * SQLite transaction and one timer per batch, not per key, and the write never lands on an echo (issue
   * 12). A hub that is killed outright loses at most this much of the audit; a stop writes it first.
   */
  inputAuditDelayMs: 250,
  /** ms: node-pty can deliver data after exit (node-pty #72); wait this long before closing the stream. */
  exitDrainMs: 100,
  /** ms: a Claude session's output must be quiet this long before its screen is read for a question. */
  screenStatusQuietMs: 400,
  /** ms: after SIGHUP, a session's process group gets SIGKILL if it is still alive. */
  killGraceMs: 2_000,
  /**
   * ms: a session whose screen changed is saved to the database at most this often (and when it ends),
   * so after a crash it is listed as ended with a screen at most this old. Each save serializes the
   * mirror; every 2 s costs little even with many sessions streaming.
   */
  screenSaveIntervalMs: 2_000,
  /** rows of scrollback a saved screen keeps: enough to see how it ended, a fifth of a live mirror's. */
  savedScrollbackRows: 200,
  /**
   * sessions: live (not ended) sessions a hub runs at once; past it `session.create`, `delegate` to a new
   * session and `spawn_worker` get `session_limit`. Each session holds a process (or a container), a pty,
   * a screen mirror with 1,000 rows of scrollback and its reader; unlimited, a loop or a hostile caller
   * made 300 in 3 s (issue 9). 64 is well past a crew one person supervises, and about 200 MB of mirrors.
   * Overridable: createHub({ limits: { maxLiveSessions } }), SWITCHBOARD_MAX_SESSIONS, --max-sessions.
   */
  maxLiveSessions: 64,
  /**
   * ms: a join with an invite made with --approve waits this long for the owner, then is refused (issue
   * 10 asks for 2 minutes: long enough to notice a prompt and answer it, short enough to hold no socket
   * for long).
   */
  joinApprovalMs: 120_000,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };

/**
 * The hub's limits: values given in code, else SWITCHBOARD_MAX_SESSIONS from the environment, else the
 * defaults above. A bad value stops the hub's start with what to write instead.
 */
export function resolveLimits(given: Partial<Limits> = {}, env: NodeJS.ProcessEnv = process.env): Limits {
  const fromEnv: Partial<Limits> = {};
  const maxSessions = env.SWITCHBOARD_MAX_SESSIONS;
  if (maxSessions !== undefined && maxSessions !== '') {
    const parsed = Number(maxSessions);
    if (!Number.isInteger(parsed) || parsed < 1)
      throw new HubError(
        'invalid_message',
        `SWITCHBOARD_MAX_SESSIONS must be a whole number of at least 1 (live sessions at once); got "${maxSessions}".`,
      );
    fromEnv.maxLiveSessions = parsed;
  }
  return { ...LIMITS, ...fromEnv, ...given };
}
