// A worker pod's TTY, attached through the API server's attach subresource (a WebSocket speaking the
// channel.k8s.io subprotocols: stdin on 0, stdout on 1, status on 3, resize on 4), behind the pty host's
// PtyProcess interface: so a pod is a Session like any other (mirror, attach, observe, co-drive).
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { PtyProcess } from '../sessions/ptyHost.js';
import type { KubeClient } from './client.js';
import { CONTAINER } from './manifests.js';

/** ms: after the attach connection closed, how long the last output may take to arrive. */
const STREAM_DRAIN_MS = 200;

/** The attach's stdout: the client sends a resize whenever this stream says its size changed. */
type SizedStream = PassThrough & { columns: number; rows: number };

export interface PodAttachment {
  stdin: PassThrough;
  stdout: SizedStream;
  /** Resolves when the connection has closed (the container ended, the pod went, or the hub let go). */
  closed: Promise<void>;
  close(): void;
}

/** Attaches to the pod's container with a TTY; the first resize (to cols × rows) goes at once. */
export async function attachPod(
  client: KubeClient,
  namespace: string,
  pod: string,
  size: { cols: number; rows: number },
): Promise<PodAttachment> {
  const stdin = new PassThrough();
  const stdout = Object.assign(new PassThrough(), { columns: size.cols, rows: size.rows });
  // Our own streams, so a close-stream frame from the server ends these and never the hub's stdio.
  const handler = new client.WebSocketHandler(client.config, undefined, {
    stdin,
    stdout,
    stderr: stdout,
  });
  const socket = await new client.kube.Attach(client.config, handler).attach(
    namespace,
    pod,
    CONTAINER,
    stdout,
    null, // a TTY has one output stream
    stdin,
    true,
  );
  const closed = new Promise<void>((resolve) => {
    if (socket.readyState === socket.CLOSED) resolve();
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  return { stdin, stdout, closed, close: () => socket.close() };
}

export interface KubePtyOptions {
  attachment: PodAttachment;
  /** After the connection closed: why the worker ended, as an exit code (the pod's status says). */
  beforeExit(): Promise<number>;
  /** A signal from the hub: a pod cannot be signalled through the API, so it is deleted. */
  stop(signal: NodeJS.Signals): void;
  /** The pod may outlive the hub: `release` closes the connection and leaves it running. */
  releasable: boolean;
  onError(what: string, error: unknown): void;
}

export function kubePty(options: KubePtyOptions): PtyProcess {
  const { stdin, stdout, closed } = options.attachment;
  const decoder = new StringDecoder('utf8'); // a UTF-8 character split across frames waits for its rest
  const dataListeners: Array<(data: string) => void> = [];
  const exitListeners: Array<(exit: { exitCode: number; signal: number | null }) => void> = [];
  let released = false;
  const emit = (text: string) => {
    if (text && !released) for (const listener of dataListeners) listener(text);
  };
  stdout.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
  stdout.on('error', (error) => options.onError('worker.stream', error));
  void closed.then(async () => {
    if (released) return;
    await new Promise((resolve) => setTimeout(resolve, STREAM_DRAIN_MS));
    emit(decoder.end());
    const exitCode = await options.beforeExit().catch((error: unknown) => {
      options.onError('worker.exit', error);
      return 255;
    });
    const signal = exitCode > 128 && exitCode < 160 ? exitCode - 128 : null;
    for (const listener of exitListeners) listener({ exitCode, signal });
  });

  const pty: PtyProcess = {
    pid: 0, // the process runs on a node of the cluster: it has no pid on this machine
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
    write: (data) => void stdin.write(data),
    resize: (cols, rows) => {
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    pause: () => void stdout.pause(),
    resume: () => void stdout.resume(),
    signal: (signal) => options.stop(signal),
  };
  if (options.releasable) {
    pty.release = () => {
      released = true;
      options.attachment.close();
    };
  }
  return pty;
}
