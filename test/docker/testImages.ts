// Ring-6 fixtures: a Docker daemon (or a loud reason why not), and the worker image built offline — a base
// assembled from this machine's files (node, a shell, a few coreutils and the shared libraries ldd lists)
// with `docker import`, then the real src-worker/Dockerfile on top with BASE set and the Claude install off.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { buildWorkerImage, connectDocker, dockerStatus } from '../../src-hub/workers/docker.js';
import { LABEL } from '../../src-hub/workers/labels.js';

/** Bump when the base's contents change: the tag is the cache key. */
const BASE_REVISION = 1;
export const TEST_BASE = `switchboard-test-base:node${process.versions.node}-r${BASE_REVISION}`;
export const TEST_WORKER = 'switchboard-test-worker:latest';
/** The pinned Claude Code binary, mounted into workers by the real-Claude test (not baked into the image). */
export const CLAUDE_BINARY = resolve('node_modules/@anthropic-ai/claude-code-linux-x64/claude');
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

const TOOLS = [
  'sh',
  'mkdir',
  'chown',
  'chmod',
  'cat',
  'ls',
  'rm',
  'cp',
  'ln',
  'id',
  'env',
  'sleep',
  'echo',
  'true',
];

/** A Docker client, or why there is none. In CI a missing daemon is a failure, not a skip. */
export async function dockerOrReason(): Promise<{ docker: Docker } | { reason: string }> {
  const docker = connectDocker();
  const status = await dockerStatus(docker);
  if (status.ok) return { docker };
  const reason = `Docker tests cannot run: ${status.reason}`;
  // Loud on purpose: a skipped ring must never look like a passing one.
  process.stderr.write(`\n${'!'.repeat(100)}\n!! ${reason}\n${'!'.repeat(100)}\n\n`);
  if (process.env.CI) throw new Error(`${reason} (CI must run them: .ci/run starts dockerd).`);
  return { reason };
}

const which = (tool: string) => execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
const librariesOf = (binary: string) =>
  [...execFileSync('ldd', [binary], { encoding: 'utf8' }).matchAll(/(\/\S+)/g)].map((match) => match[1]!);

/** Copies `source` to `root/target`, following links (ldd names links; the image needs the files). */
function place(root: string, source: string, target = source): void {
  mkdirSync(join(root, dirname(target)), { recursive: true });
  copyFileSync(source, join(root, target));
  chmodSync(join(root, target), statSync(source).mode & 0o777);
}

async function importBase(docker: Docker): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'switchboard-rootfs-'));
  try {
    const root = join(work, 'rootfs');
    const binaries = [process.execPath, ...TOOLS.map(which).filter((path) => path.startsWith('/'))];
    place(root, process.execPath, '/usr/local/bin/node');
    for (const tool of TOOLS) {
      const path = which(tool);
      if (path.startsWith('/')) place(root, path, `/bin/${tool}`);
    }
    // Claude Code's libraries too, so the mounted binary runs (glibc only, reference §1.2).
    const libraries = new Set([...binaries, CLAUDE_BINARY].flatMap(librariesOf));
    for (const library of libraries) place(root, library);
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\n');
    for (const directory of ['tmp', 'root', 'usr/bin']) mkdirSync(join(root, directory), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    const tarball = join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tarball, '.']);
    const [repo, tag] = TEST_BASE.split(':');
    const stream = await docker.importImage(tarball, {
      repo,
      tag,
      changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin'],
    });
    await new Promise((resolveImport, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) =>
        error ? reject(error) : resolveImport(undefined),
      ),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One builder at a time across test files (vitest runs files in parallel). */
async function withLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `${name}.lock`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after five minutes.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The base (cached by tag) and the worker image from the real Dockerfile (rebuilt: the layer cache makes it quick). */
export function ensureTestImages(docker: Docker): Promise<void> {
  return withLock('switchboard-test-images', async () => {
    const present = await docker
      .getImage(TEST_BASE)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (!present) await importBase(docker);
    await buildWorkerImage(docker, {
      base: TEST_BASE,
      tag: TEST_WORKER,
      installClaude: false,
      network: 'none',
    });
  });
}

/** Worker containers a hub (by its state directory's id) started, in any state. */
export async function containersOf(docker: Docker, hubId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL.hub}=${hubId}`] } });
}

/** Processes whose command line mentions `text` (a session id, a temp dir): none may outlive a test. */
export function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .filter((line) => line.includes(text));
}
