// A worker container's TTY, attached through dockerode, behind the pty host's PtyProcess interface: so a
// worker is a Session like any other (mirror, attach, observe, co-drive, status from hooks).
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import type { PtyProcess } from '../sessions/ptyHost.js';

/** ms: after the container stopped, how long to wait for the attach stream to deliver its last bytes. */
const STREAM_DRAIN_MS = 1_000;

export interface DockerPtyOptions {
  container: Docker.Container;
  /** The hijacked attach stream: raw TTY bytes both ways (a TTY stream is not multiplexed). */
  stream: Duplex;
  /** The container's first process as the host sees it (informational: SessionInfo.pid). */
  pid: number;
  /** Runs once the container has stopped, before the exit is reported (reasons, removal). */
  beforeExit(statusCode: number): Promise<void>;
  /** The container may outlive the hub: `release` stops listening and leaves it running. */
  releasable: boolean;
  onError(what: string, error: unknown): void;
}

/** Attaches stdin and the TTY output; with `logs`, the output since the container started comes first. */
export async function attachContainer(container: Docker.Container, logs: boolean): Promise<Duplex> {
  const stream: unknown = await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
    logs,
  });
  return stream as Duplex;
}

/** Docker answers 304 or 404/409 to a signal for a container that is already stopping or gone. */
const isGone = (error: unknown) =>
  [304, 404, 409].includes((error as { statusCode?: number }).statusCode ?? 0);

export function dockerPty(options: DockerPtyOptions): PtyProcess {
  const { container, stream } = options;
  const decoder = new StringDecoder('utf8'); // a UTF-8 character split across chunks waits for its rest
  const dataListeners: Array<(data: string) => void> = [];
  const exitListeners: Array<(exit: { exitCode: number; signal: number | null }) => void> = [];
  const abort = new AbortController();
  let released = false;
  const emit = (text: string) => {
    if (text && !released) for (const listener of dataListeners) listener(text);
  };
  stream.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
  stream.on('error', (error) => options.onError('worker.stream', error));
  const streamEnded = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });

  const waited: Promise<number> = container.wait({ abortSignal: abort.signal }).then(
    (result: { StatusCode?: number }) => result.StatusCode ?? 255,
    (error: unknown) => {
      if (!released) options.onError('worker.wait', error);
      return 255;
    },
  );
  void waited.then(async (statusCode) => {
    if (released) return;
    await Promise.race([streamEnded, new Promise((resolve) => setTimeout(resolve, STREAM_DRAIN_MS))]);
    emit(decoder.end());
    await options.beforeExit(statusCode).catch((error: unknown) => options.onError('worker.exit', error));
    // Exit statuses above 128 are a signal's number plus 128, as a shell reports them.
    const signal = statusCode > 128 && statusCode < 160 ? statusCode - 128 : null;
    for (const listener of exitListeners) listener({ exitCode: statusCode, signal });
  });

  const pty: PtyProcess = {
    pid: options.pid,
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
    write: (data) => void stream.write(data),
    resize: (cols, rows) =>
      void container.resize({ w: cols, h: rows }).catch((error: unknown) => {
        if (!isGone(error)) options.onError('worker.resize', error);
      }),
    pause: () => void stream.pause(),
    resume: () => void stream.resume(),
    signal: (signal) =>
      void container.kill({ signal }).catch((error: unknown) => {
        if (!isGone(error)) options.onError('worker.signal', error);
      }),
  };
  if (options.releasable) {
    pty.release = () => {
      released = true;
      abort.abort();
      stream.destroy();
    };
  }
  return pty;
}
