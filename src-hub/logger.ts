// Structured log of every state change: JSON lines (pino) in the state directory, or any sink in tests.
import { pino } from 'pino';

export interface Logger {
  /** One state-changing event, e.g. `session.created`, with flat fields. */
  event(name: string, fields?: Record<string, unknown>): void;
  error(name: string, error: unknown, fields?: Record<string, unknown>): void;
  close(): void;
}

export function fileLogger(path: string): Logger {
  const destination = pino.destination({ dest: path, mkdir: true, sync: false, mode: 0o600 });
  const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return {
    event: (name, fields = {}) => log.info({ event: name, ...fields }),
    error: (name, error, fields = {}) => log.error({ event: name, err: error, ...fields }),
    close: () => {
      try {
        destination.flushSync();
      } catch {
        // The file never opened (the hub failed early): nothing to flush, and the first error matters more.
      }
    },
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
