// Talking to the Docker daemon: a client, Docker failures as coded errors, the list of worker containers,
// and building the worker image from src-worker/Dockerfile (used by the CLI and the tests).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { HubError } from '../../src-protocol/index.js';
import { DEFAULT_WORKER_IMAGE } from './config.js';
import { LABEL } from './labels.js';

/** The Claude Code version the worker image installs unless told otherwise (package.json pins the same). */
export const PINNED_CLAUDE_VERSION = '2.1.331';

/** A client for DOCKER_HOST, or the local socket. */
export function connectDocker(): Docker {
  return new Docker();
}

/** A Docker failure as a coded error that says what to do; anything unexpected stays a bug. */
export function dockerFailure(error: unknown, doing: string): Error {
  if (error instanceof HubError) return error;
  const failure = error as {
    code?: string;
    statusCode?: number;
    json?: { message?: string };
    message?: string;
  };
  if (failure.code && ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EPIPE'].includes(failure.code)) {
    return new HubError(
      'docker_unavailable',
      `Cannot reach the Docker daemon while ${doing} (${failure.code}). Start dockerd, or point DOCKER_HOST at it.`,
    );
  }
  if (failure.statusCode !== undefined) {
    const said = failure.json?.message ?? failure.message ?? 'no details';
    return new HubError('docker_unavailable', `Docker refused ${doing}: ${said}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Whether the daemon answers; the reason when it does not (tests print it loudly). */
export async function dockerStatus(docker: Docker): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await docker.ping();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: dockerFailure(error, 'pinging it').message };
  }
}

export interface WorkerContainer {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  hub: string;
  session: string;
  task: string | null;
  parent: string | null;
  depth: number;
  createdAt: string;
}

/** Every container a Switchboard hub started as a worker (any hub; `hub` says which). */
export async function listWorkerContainers(docker: Docker): Promise<WorkerContainer[]> {
  const containers = await docker
    .listContainers({ all: true, filters: { label: [LABEL.session] } })
    .catch((error: unknown) => {
      throw dockerFailure(error, 'listing containers');
    });
  return containers.map((container) => {
    const labels = container.Labels;
    return {
      id: container.Id,
      name: labels[LABEL.name] ?? container.Names[0]?.replace(/^\//, '') ?? '',
      image: container.Image,
      state: container.State,
      status: container.Status,
      hub: labels[LABEL.hub] ?? '',
      session: labels[LABEL.session] ?? '',
      task: labels[LABEL.task] || null,
      parent: labels[LABEL.parent] || null,
      depth: Number(labels[LABEL.depth]) || 1,
      createdAt: new Date(container.Created * 1000).toISOString(),
    };
  });
}

/** The checkout (or installed package) this code runs from: where src-worker/ and dist/ are. */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'switchboard'
    )
      return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('Cannot find the Switchboard package root.');
    directory = parent;
  }
}

export interface BuildOptions {
  /** The base image (`ARG BASE`); default the Dockerfile's, an official Node image. */
  base?: string;
  tag?: string;
  /** false when the base already has `claude` on PATH. */
  installClaude?: boolean;
  claudeVersion?: string;
  /** Network for RUN steps (npm install); `host` uses this machine's. */
  network?: string;
  onProgress?(line: string): void;
}

type BuildEvent = {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  aux?: { ID?: string };
};

/** Builds src-worker/Dockerfile with only the files it copies as the context; resolves with the image id. */
export async function buildWorkerImage(docker: Docker, options: BuildOptions = {}): Promise<string> {
  const root = packageRoot();
  const agent = 'dist/src-worker/agent.js';
  if (!existsSync(join(root, agent)))
    throw new HubError(
      'command_not_found',
      `The worker agent is not built (${agent}); run \`npm run build\` first.`,
    );
  const buildargs: Record<string, string> = {
    INSTALL_CLAUDE: options.installClaude === false ? '0' : '1',
    CLAUDE_CODE_VERSION: options.claudeVersion ?? PINNED_CLAUDE_VERSION,
    ...(options.base ? { BASE: options.base } : {}),
  };
  const stream = await docker
    .buildImage(
      { context: root, src: ['src-worker/Dockerfile', agent] },
      {
        dockerfile: 'src-worker/Dockerfile',
        t: options.tag ?? DEFAULT_WORKER_IMAGE,
        buildargs,
        rm: true,
        forcerm: true,
        networkmode: options.network ?? 'host',
      },
    )
    .catch((error: unknown) => {
      throw dockerFailure(error, 'building the worker image');
    });
  const events = await new Promise<BuildEvent[]>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: BuildEvent[]) =>
        error ? reject(dockerFailure(error, 'building')) : resolve(output),
      (event: BuildEvent) => {
        const line =
          event.stream ??
          event.error ??
          (event.status ? `${event.status} ${event.progress ?? ''}` : undefined);
        if (line?.trim()) options.onProgress?.(line.replace(/\n$/, ''));
      },
    ),
  );
  const failed = events.find((event) => event.error);
  if (failed) throw new HubError('docker_unavailable', `The worker image did not build: ${failed.error}`);
  const id = events.find((event) => event.aux?.ID)?.aux?.ID;
  return id ?? (await docker.getImage(options.tag ?? DEFAULT_WORKER_IMAGE).inspect()).Id;
}

/** The worker image's details; a missing one is `image_not_found`, naming the parent's image when given. */
export async function inspectWorkerImage(
  docker: Docker,
  image: string,
  parentImage?: string,
): Promise<Docker.ImageInspectInfo> {
  try {
    return await docker.getImage(image).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      const parent = parentImage && parentImage !== image ? ` (its parent runs "${parentImage}")` : '';
      throw new HubError(
        'image_not_found',
        `Worker image "${image}" is not on this machine${parent}; build it with ` +
          `\`switchboard worker build --tag ${image}\`.`,
      );
    }
    throw dockerFailure(error, `looking up image ${image}`);
  }
}
