// Ring-6 fixtures: a Docker daemon (or a loud reason why not), and the worker image built offline — a base
// assembled from this machine's files (src-hub/workers/hostBase.ts, what `worker build --base-from-host`
// uses) without Claude, then the real src-worker/Dockerfile on top with BASE set and the Claude install off.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { buildWorkerImage, connectDocker, dockerStatus } from '../../src-hub/workers/docker.js';
import { LABEL } from '../../src-hub/workers/labels.js';
import { buildHostBase } from '../../src-hub/workers/hostBase.js';

/** Bump when the base's contents change: the tag is the cache key. */
const BASE_REVISION = 3;
export const TEST_BASE = `switchboard-test-base:node${process.versions.node}-r${BASE_REVISION}`;
export const TEST_WORKER = 'switchboard-test-worker:latest';
/** The pinned Claude Code binary, mounted into workers by the real-Claude test (not baked into the image). */
export const CLAUDE_BINARY = resolve('node_modules/@anthropic-ai/claude-code-linux-x64/claude');
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

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

/** The base from this machine's files, as `worker build --base-from-host` makes it, with Claude's libraries but not Claude (mounted). */
async function importBase(docker: Docker): Promise<void> {
  await buildHostBase(docker, { tag: TEST_BASE, withClaude: false, librariesFor: [CLAUDE_BINARY] });
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
