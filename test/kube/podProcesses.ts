// The stand-in API server's "kubelet": runs a pod's container as a real process under a real pty (node-pty)
// on this machine, with the image's entrypoint, the pod's args and environment (secretKeyRef resolved from
// the stand-in's Secrets), and serves the attach subresource's WebSocket channels onto that pty.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as nodePty from 'node-pty';
import type { WebSocket } from 'ws';

/** The channel.k8s.io stream numbers. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export interface ContainerSpec {
  image: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  tty?: boolean;
  stdin?: boolean;
}

export interface RunningContainer {
  pid: number;
  /** Live attachments: every output chunk goes to each. */
  attachments: Set<WebSocket>;
  /** The pty's size as the last resize on the attach set it. */
  size: { cols: number; rows: number };
  kill(signal: string): void;
  resize(cols: number, rows: number): void;
  write(data: Buffer): void;
  dispose(): void;
}

/** Resolves the container's environment; throws (CreateContainerConfigError) when a Secret is missing. */
export function resolveEnvironment(
  container: ContainerSpec,
  secret: (name: string) => Record<string, string> | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) {
      env[variable.name] = variable.value ?? '';
      continue;
    }
    const value = secret(ref.name)?.[ref.key];
    if (value === undefined) throw new Error(`secret "${ref.name}" not found`);
    env[variable.name] = value;
  }
  return env;
}

/**
 * Starts the container: `entrypoint` is what the image's ENTRYPOINT would be (the worker agent), the pod's
 * `args` follow it. A home and a working directory of its own stand in for the image's filesystem.
 */
export function runContainer(
  entrypoint: string[],
  container: ContainerSpec,
  env: Record<string, string>,
  onExit: (exitCode: number, signal: number) => void,
): RunningContainer {
  const root = mkdtempSync(join(tmpdir(), 'kube-standin-pod-'));
  // The image's working directory (the pod's workingDir), apart from its home, as in the worker image.
  const workdir = join(root, 'workspace');
  mkdirSync(workdir);
  const [file, ...rest] = [...(container.command ?? entrypoint), ...(container.args ?? [])];
  const pty = nodePty.spawn(file!, rest, {
    name: 'xterm',
    cols: 80,
    rows: 24,
    cwd: workdir,
    env: {
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: root,
      ...env,
    },
  });
  const attachments = new Set<WebSocket>();
  const size = { cols: 80, rows: 24 };
  pty.onData((data) => {
    const frame = Buffer.concat([Buffer.from([CHANNEL.stdout]), Buffer.from(data, 'utf8')]);
    for (const socket of attachments) socket.send(frame);
  });
  pty.onExit(({ exitCode, signal }) => {
    rmSync(root, { recursive: true, force: true });
    onExit(exitCode, signal ?? 0);
  });
  return {
    pid: pty.pid,
    attachments,
    size,
    kill: (signal) => {
      try {
        process.kill(-pty.pid, signal); // the whole process group, as a container's end takes everything
      } catch {
        // already gone
      }
    },
    resize: (cols, rows) => {
      try {
        pty.resize(cols, rows);
        Object.assign(size, { cols, rows });
      } catch {
        // exited meanwhile
      }
    },
    write: (data) => pty.write(data.toString('utf8')),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Handles one attach connection's frames from the client: stdin to the pty, resize as JSON {Width, Height}. */
export function serveAttach(socket: WebSocket, container: RunningContainer): void {
  container.attachments.add(socket);
  socket.on('message', (data: Buffer) => {
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === CHANNEL.stdin) container.write(payload);
    else if (channel === CHANNEL.resize) {
      // The API server decodes this with Go's encoding/json: field names match without regard to case.
      const size = Object.fromEntries(
        Object.entries(JSON.parse(payload.toString('utf8')) as Record<string, number>).map(([key, value]) => [
          key.toLowerCase(),
          value,
        ]),
      );
      if (size.width && size.height) container.resize(size.width, size.height);
    }
  });
  socket.on('close', () => container.attachments.delete(socket));
}

/** Ends every attachment of an exited container the way the kubelet does: a Status on channel 3, then close. */
export function endAttachments(container: RunningContainer, exitCode: number): void {
  const status =
    exitCode === 0
      ? { metadata: {}, status: 'Success' }
      : {
          metadata: {},
          status: 'Failure',
          message: `command terminated with non-zero exit code: ${exitCode}`,
          reason: 'NonZeroExitCode',
          details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
        };
  const frame = Buffer.concat([Buffer.from([CHANNEL.status]), Buffer.from(JSON.stringify(status))]);
  for (const socket of container.attachments) {
    socket.send(frame);
    socket.close(1000);
  }
  container.attachments.clear();
}
