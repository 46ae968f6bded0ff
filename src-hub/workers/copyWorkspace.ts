// The `copy` workspace: the repository is put into the container before it starts (a tar stream from
// this machine's tar), owned by the container's user, instead of being bind-mounted.
import { spawn } from 'node:child_process';
import type Docker from 'dockerode';
import { HubError } from '../../src-protocol/index.js';

/** `uid:gid` (or `uid`) as numbers, when the user is given numerically; a name cannot be mapped here. */
export function numericUser(user: string | undefined): { uid: number; gid: number } | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(user ?? '');
  return match ? { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) } : undefined;
}

export async function copyRepository(
  container: Docker.Container,
  repo: string,
  target: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const ownership = owner ? [`--owner=${owner.uid}`, `--group=${owner.gid}`, '--numeric-owner'] : [];
  const tar = spawn('tar', ['-C', repo, ...ownership, '-cf', '-', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  tar.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    tar.once('error', reject);
    tar.once('close', (code) => resolve(code ?? 1));
  });
  await container.putArchive(tar.stdout, { path: target });
  const code = await exited;
  if (code !== 0)
    throw new HubError('invalid_message', `Copying ${repo} into the worker failed: ${errors.trim()}`);
}
