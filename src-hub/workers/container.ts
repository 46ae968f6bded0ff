// A worker's container, as plain decisions: its user, the repository check, the create options (labels,
// workspace, limits, network, TTY) and, once it has stopped, the sentence that says why.
import { realpathSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type Docker from 'dockerode';
import { HubError } from '../../src-protocol/index.js';
import type { WorkerSettings } from './config.js';
import { labelsFor, type WorkerRecord } from './labels.js';

/** Where the repository appears inside a worker container. */
export const WORKSPACE = '/workspace';

const SIGNAL_NAMES: Record<number, string> = { 129: 'SIGHUP', 130: 'SIGINT', 137: 'SIGKILL', 143: 'SIGTERM' };

export const shortId = (id: string) => id.slice(0, 12);

/**
 * `auto`: the hub's own user, so files written into a bind-mounted repository belong to whoever runs the
 * hub; a hub running as root uses the repository's owner instead, and for a root-owned repository the
 * image's non-root user. Never root.
 */
export function containerUser(
  setting: string,
  imageUser: string | undefined,
  repo: string,
): string | undefined {
  if (setting !== 'auto') return setting;
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0) return `${uid}:${process.getgid?.() ?? uid}`;
  const owner = statSync(repo, { throwIfNoEntry: false });
  if (owner && owner.uid !== 0) return `${owner.uid}:${owner.gid}`;
  return imageUser || undefined;
}

/**
 * A bind-mounted repository the container's user cannot read leaves Claude Code stuck on a settings error
 * screen, and one it cannot write fails at the agent's first edit with nothing said before (issue 16, as
 * with a root-owned repository under a hub that runs as root): refuse at spawn with what to change.
 */
export function checkWorkspaceAccess(repo: string, user: { uid: number; gid: number } | undefined): void {
  if (!user || user.uid === 0) return;
  const { uid, gid, mode } = statSync(repo);
  const bits = uid === user.uid ? (mode >> 6) & 7 : gid === user.gid ? (mode >> 3) & 7 : mode & 7;
  if (bits === 7) return;
  const cannot = (bits & 5) === 5 ? 'cannot write to' : 'cannot read';
  throw new HubError(
    'not_allowed',
    `The worker's user (${user.uid}:${user.gid}) ${cannot} ${repo} (owner ${uid}:${gid}, mode ` +
      `${(mode & 0o777).toString(8)}), so it could not edit the code. Use SWITCHBOARD_WORKER_WORKSPACE=copy ` +
      '(the worker edits a copy), give the repository to a non-root user (chown; the worker then runs as ' +
      'its owner), or set SWITCHBOARD_WORKER_USER to a user that may write it.',
  );
}

/**
 * The repository a worker may give its child: its own or a directory in it (as /workspace/… or as the host
 * path), checked after resolving symbolic links, so a link made inside the container cannot mount the
 * host's / into a child.
 */
export function repositoryWithin(own: string, repo: string): string {
  const inside = repo === WORKSPACE || repo.startsWith(`${WORKSPACE}/`);
  const path = inside ? join(own, repo.slice(WORKSPACE.length)) : resolve(own, repo);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new HubError('invalid_message', `Repository "${repo}" does not exist.`);
  }
  const ownReal = realpathSync(own);
  if (real !== ownReal && !real.startsWith(ownReal + sep)) {
    throw new HubError(
      'not_allowed',
      `A worker may start workers only in its own repository (${WORKSPACE} in the container) or below it; ` +
        `"${repo}" is outside.`,
    );
  }
  return real;
}

export function containerOptions(input: {
  hubId: string;
  record: WorkerRecord;
  command: string[];
  env: Record<string, string>;
  user: string | undefined;
  settings: WorkerSettings;
}): Docker.ContainerCreateOptions {
  const { record, settings, user } = input;
  const binds = [
    ...(settings.workspace === 'bind' ? [`${record.repo}:${WORKSPACE}`] : []),
    ...settings.mounts.map((mount) => `${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`),
  ];
  return {
    name: `switchboard-${record.name}-${record.session.slice(0, 8)}`,
    Image: record.image,
    Cmd: input.command,
    Env: Object.entries(input.env).map(([key, value]) => `${key}=${value}`),
    WorkingDir: WORKSPACE,
    ...(user ? { User: user } : {}),
    // The session's terminal is the container's TTY; stdin stays open across attaches (and hub restarts).
    Tty: true,
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Labels: labelsFor(input.hubId, record),
    HostConfig: {
      NetworkMode: settings.networkMode,
      Binds: binds,
      ...(settings.cpus > 0 ? { NanoCpus: Math.round(settings.cpus * 1e9) } : {}),
      ...(settings.memoryBytes > 0 ? { Memory: settings.memoryBytes } : {}),
      PidsLimit: 4096,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
    },
  };
}

/** Why a worker stopped that the hub did not stop: out of memory, killed from outside, or failed. */
export function exitReason(
  record: WorkerRecord,
  statusCode: number,
  state: { OOMKilled?: boolean } | undefined,
  memoryBytes: number,
): string {
  const who = `Worker ${record.name} (container ${shortId(record.container)})`;
  if (state?.OOMKilled)
    return `${who} ran out of memory (limit ${memoryBytes} bytes); raise SWITCHBOARD_WORKER_MEMORY.`;
  const signal = SIGNAL_NAMES[statusCode];
  const how =
    statusCode === 137
      ? ' (SIGKILL from outside Switchboard: docker kill, docker rm -f, or the kernel)'
      : signal
        ? ` (${signal})`
        : '';
  return `${who} stopped with exit status ${statusCode}${how} before it reported a result.`;
}
