// Structured log of every state change: JSON lines (pino) in the state directory, or any sink in tests.
// What a stranger can make the hub log is bounded: long values are cut, bursts of refusals are summed up,
// and the file rotates by size.
import { existsSync, renameSync, statSync } from 'node:fs';
import { pino } from 'pino';

export interface Logger {
  /** One state-changing event, e.g. `session.created`, with flat fields. */
  event(name: string, fields?: Record<string, unknown>): void;
  error(name: string, error: unknown, fields?: Record<string, unknown>): void;
  close(): void;
}

export const LOG_LIMITS = {
  /** chars: a logged string value (a header, a client's name) is cut to this length. */
  fieldChars: 256,
  /** events of one refusal kind from one address logged in full per window; the rest are counted. */
  burstEvents: 10,
  /** ms: the window for burstEvents; the count of what was left out is logged when it ends. */
  burstWindowMs: 60_000,
  /** addresses tracked for bursts at once; past this they are counted under one key. */
  burstKeys: 1_000,
  /** bytes: hub.log is rotated past this size (hub.log.1 … hub.log.N, oldest dropped). */
  fileMaxBytes: 10 * 1024 * 1024,
  /** rotated files kept beside hub.log. */
  filesKept: 3,
};

/** Events that anyone who can reach the port can cause: their bursts are summed up, not logged each. */
const REFUSALS = new Set([
  'auth.failed',
  'upgrade.refused',
  'request.refused',
  'connection.refused',
  'connection.limited',
]);

const cut = (value: string) =>
  value.length > LOG_LIMITS.fieldChars
    ? `${value.slice(0, LOG_LIMITS.fieldChars)}…(${value.length} chars)`
    : value;

/** The fields with every string value cut to a bounded length. */
export function boundFields(fields: Record<string, unknown>): Record<string, unknown> {
  const bounded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    bounded[key] = typeof value === 'string' ? cut(value) : value;
  return bounded;
}

/**
 * Wraps a logger so strangers cannot grow the log without bound: string fields are cut, and refusals past
 * `burstEvents` per address and window are counted and logged as one `log.burst` event when the window ends.
 */
export function auditLogger(inner: Logger, now: () => number = Date.now): Logger {
  const windows = new Map<
    string,
    { event: string; address: unknown; start: number; logged: number; left: number }
  >();
  let timer: NodeJS.Timeout | undefined;
  const flush = (force: boolean) => {
    const time = now();
    for (const [key, window] of windows) {
      if (!force && time - window.start < LOG_LIMITS.burstWindowMs) continue;
      if (window.left > 0)
        inner.event('log.burst', {
          refused: window.event,
          address: window.address,
          suppressed: window.left,
          since: new Date(window.start).toISOString(),
        });
      windows.delete(key);
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (windows.size > 0) {
      timer = setTimeout(() => flush(false), LOG_LIMITS.burstWindowMs);
      timer.unref();
    }
  };
  const admit = (name: string, fields: Record<string, unknown>): boolean => {
    if (!REFUSALS.has(name)) return true;
    const address =
      windows.size >= LOG_LIMITS.burstKeys ? '*' : typeof fields.address === 'string' ? fields.address : '?';
    const key = `${name} ${address}`;
    let window = windows.get(key);
    if (window && now() - window.start >= LOG_LIMITS.burstWindowMs) {
      flush(false);
      window = undefined;
    }
    if (!window) {
      window = { event: name, address: fields.address, start: now(), logged: 0, left: 0 };
      windows.set(key, window);
      if (!timer) {
        timer = setTimeout(() => flush(false), LOG_LIMITS.burstWindowMs);
        timer.unref();
      }
    }
    if (window.logged < LOG_LIMITS.burstEvents) {
      window.logged++;
      return true;
    }
    window.left++;
    return false;
  };
  return {
    event: (name, fields = {}) => {
      const bounded = boundFields(fields);
      if (admit(name, bounded)) inner.event(name, bounded);
    },
    error: (name, error, fields = {}) => inner.error(name, error, boundFields(fields)),
    close: () => {
      flush(true);
      inner.close();
    },
  };
}

/** A pino destination that rotates `path` once it has grown past `maxBytes`, keeping `keep` old files. */
function rotatingDestination(path: string, maxBytes: number, keep: number) {
  // Written synchronously: rotation is then exact, and the audit trail survives a kill -9. Events are state
  // changes (a few per keystroke at most), each one write(2) of a line.
  const file = pino.destination({ dest: path, mkdir: true, sync: true, mode: 0o600 });
  let size = existsSync(path) ? statSync(path).size : 0;
  const rotate = () => {
    size = 0;
    try {
      for (let index = keep - 1; index >= 1; index--)
        if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
      renameSync(path, `${path}.1`);
    } catch {
      // The file vanished under us (removed by hand): reopening creates it again.
    }
    file.reopen();
  };
  return {
    stream: {
      write(line: string) {
        file.write(line);
        size += Buffer.byteLength(line);
        if (size >= maxBytes) rotate();
      },
    },
    flush() {
      try {
        file.flushSync();
      } catch {
        // The file never opened (the hub failed early): nothing to flush, and the first error matters more.
      }
    },
  };
}

export function fileLogger(
  path: string,
  rotation: { maxBytes: number; keep: number } = {
    maxBytes: LOG_LIMITS.fileMaxBytes,
    keep: LOG_LIMITS.filesKept,
  },
): Logger {
  const destination = rotatingDestination(path, rotation.maxBytes, rotation.keep);
  const log = pino(
    { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    destination.stream,
  );
  return {
    event: (name, fields = {}) => log.info({ event: name, ...fields }),
    error: (name, error, fields = {}) => log.error({ event: name, err: error, ...fields }),
    close: () => destination.flush(),
  };
}

/** Keeps events in memory; tests read them back. */
export function memoryLogger(): Logger & { events: Array<{ event: string } & Record<string, unknown>> } {
  const events: Array<{ event: string } & Record<string, unknown>> = [];
  return {
    events,
    event: (name, fields = {}) => events.push({ event: name, ...fields }),
    error: (name, error, fields = {}) => events.push({ event: name, error: String(error), ...fields }),
    close: () => undefined,
  };
}
