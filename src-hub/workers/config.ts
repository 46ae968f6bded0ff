// How Docker workers run: image, resources, network, workspace, budgets per tree, and what happens to
// containers when sessions end or the hub stops and starts. Set in code (createHub ports) or with
// SWITCHBOARD_WORKER_* environment variables; docs/workers.md lists them.
import { z } from 'zod';
import { lazySchema } from '../../src-protocol/messages/lazy.js';

export const DEFAULT_WORKER_IMAGE = 'switchboard-worker:latest';

export const BudgetSchema = lazySchema(() =>
  z.object({
    /** Depth of a tree of workers: a worker started by a session or the owner is at depth 1. */
    maxDepth: z.number().int().min(1).default(3),
    /** Workers one tree may start in its lifetime (ended ones count: this stops spawn loops). */
    workersPerTree: z.number().int().min(1).default(8),
    /** Workers running at once on this hub, all trees together. */
    concurrentWorkers: z.number().int().min(1).default(4),
    /** Seconds from a tree's first worker until every worker of the tree is stopped. */
    deadlineSeconds: z.number().int().min(1).default(3600),
  }),
);
export type Budgets = z.infer<typeof BudgetSchema>;

export const MountSchema = lazySchema(() =>
  z.object({
    source: z.string().min(1),
    target: z.string().min(1),
    readOnly: z.boolean().default(true),
  }),
);

export const WorkerSettingsSchema = lazySchema(() =>
  z.object({
    /** Where spawn_worker starts a worker that names no runtime: a Docker container, or a Kubernetes pod. */
    runtime: z.enum(['docker', 'kubernetes']).default('docker'),
    image: z.string().min(1).default(DEFAULT_WORKER_IMAGE),
    /** Images a session's spawn_worker may name besides `image` (the owner may start any image). */
    allowedImages: z.array(z.string().min(1)).default([]),
    /** The command the agent runs in the container, and arguments put before the hub's own. */
    command: z.string().min(1).default('claude'),
    args: z.array(z.string()).default([]),
    /** Extra environment for the worker's Claude (ANTHROPIC_BASE_URL, …); ANTHROPIC_* of the hub pass too. */
    env: z.record(z.string(), z.string()).default({}),
    /** `--permission-mode` for worker sessions; unset leaves Claude Code's default. */
    permissionMode: z.string().optional(),
    /** `host` lets the container reach the hub on 127.0.0.1; anything else needs `hubUrl`. */
    networkMode: z.string().min(1).default('host'),
    /** The hub URL as a container sees it; defaults to the hub's own (right for the host network). */
    hubUrl: z.string().url().optional(),
    /** `bind`: the repository is mounted read-write at /workspace; `copy`: a copy is put there at start. */
    workspace: z.enum(['bind', 'copy']).default('bind'),
    /** CPUs (fractions allowed) and memory in bytes per container; 0 means no limit. */
    cpus: z.number().min(0).default(2),
    memoryBytes: z
      .number()
      .int()
      .min(0)
      .default(4 * 1024 ** 3),
    /** `uid:gid` to run as; `auto` is the hub's own user unless that is root, then the image's user. */
    user: z.string().min(1).default('auto'),
    /** Extra bind mounts (a development Claude binary, fixtures); read-only unless said otherwise. */
    mounts: z.array(MountSchema).default([]),
    /** When a worker's container is removed: when its session ends, when it is removed, or never. */
    removeContainer: z.enum(['on-end', 'on-remove', 'never']).default('on-end'),
    /** On hub stop: leave workers running (re-adopted on the next start) or stop them. */
    onHubStop: z.enum(['leave', 'stop']).default('leave'),
    /** On hub start: adopt this hub's running worker containers as sessions, or remove them. */
    onHubStart: z.enum(['adopt', 'remove']).default('adopt'),
    /**
     * s: a worker whose task has ended (done, failed, cancelled) stops after this long without output and
     * with nobody attached, freeing its budget slot; typing (its echo) or an attached human starts it again.
     */
    finishedGraceSeconds: z.number().min(0).default(30),
    budgets: BudgetSchema.default(BudgetSchema.parse({})),
  }),
);
export type WorkerSettings = z.infer<typeof WorkerSettingsSchema>;
export type WorkerSettingsInput = Partial<Omit<WorkerSettings, 'budgets'>> & { budgets?: Partial<Budgets> };

/** Which environment variable sets which budget: named in every refusal, so people know what to raise. */
export const BUDGET_VARIABLES: Record<keyof Budgets, string> = {
  maxDepth: 'SWITCHBOARD_WORKER_MAX_DEPTH',
  workersPerTree: 'SWITCHBOARD_WORKER_MAX_PER_TREE',
  concurrentWorkers: 'SWITCHBOARD_WORKER_MAX_CONCURRENT',
  deadlineSeconds: 'SWITCHBOARD_WORKER_DEADLINE_S',
};

const number = (value: string) => z.coerce.number().parse(value);

/** `4g`, `512m`, `1073741824` → bytes. */
export function parseBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a size; write e.g. 4g, 512m or a number of bytes.`);
  const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2]!.toLowerCase());
  return Math.round(Number(match[1]) * 1024 ** power);
}

const parseList = (value: string): string[] =>
  value.trim().startsWith('[')
    ? z.array(z.string()).parse(JSON.parse(value))
    : value.split(/\s+/).filter(Boolean);

export function resolveWorkerSettings(
  given: WorkerSettingsInput = {},
  env: NodeJS.ProcessEnv = process.env,
): WorkerSettings {
  const fromEnv: Record<string, unknown> = {};
  const budgets: Record<string, number> = {};
  const read = (name: string) => (env[name] ? env[name] : undefined);
  const runtime = read('SWITCHBOARD_WORKER_RUNTIME');
  if (runtime) fromEnv.runtime = runtime;
  const image = read('SWITCHBOARD_WORKER_IMAGE');
  if (image) fromEnv.image = image;
  const images = read('SWITCHBOARD_WORKER_ALLOWED_IMAGES');
  if (images) fromEnv.allowedImages = parseList(images);
  const command = read('SWITCHBOARD_WORKER_COMMAND');
  if (command) fromEnv.command = command;
  const args = read('SWITCHBOARD_WORKER_ARGS');
  if (args) fromEnv.args = parseList(args);
  const extraEnv = read('SWITCHBOARD_WORKER_ENV');
  if (extraEnv) fromEnv.env = z.record(z.string(), z.string()).parse(JSON.parse(extraEnv));
  const mode = read('SWITCHBOARD_WORKER_PERMISSION_MODE');
  if (mode) fromEnv.permissionMode = mode;
  const network = read('SWITCHBOARD_WORKER_NETWORK');
  if (network) fromEnv.networkMode = network;
  const hubUrl = read('SWITCHBOARD_WORKER_HUB_URL');
  if (hubUrl) fromEnv.hubUrl = hubUrl;
  const workspace = read('SWITCHBOARD_WORKER_WORKSPACE');
  if (workspace) fromEnv.workspace = workspace;
  const cpus = read('SWITCHBOARD_WORKER_CPUS');
  if (cpus) fromEnv.cpus = number(cpus);
  const memory = read('SWITCHBOARD_WORKER_MEMORY');
  if (memory) fromEnv.memoryBytes = parseBytes(memory);
  const user = read('SWITCHBOARD_WORKER_USER');
  if (user) fromEnv.user = user;
  const remove = read('SWITCHBOARD_WORKER_REMOVE');
  if (remove) fromEnv.removeContainer = remove;
  const onStop = read('SWITCHBOARD_WORKER_ON_HUB_STOP');
  if (onStop) fromEnv.onHubStop = onStop;
  const onStart = read('SWITCHBOARD_WORKER_ON_HUB_START');
  if (onStart) fromEnv.onHubStart = onStart;
  const grace = read('SWITCHBOARD_WORKER_FINISHED_GRACE_S');
  if (grace) fromEnv.finishedGraceSeconds = number(grace);
  for (const [key, name] of Object.entries(BUDGET_VARIABLES)) {
    const value = read(name);
    if (value) budgets[key] = number(value);
  }
  return WorkerSettingsSchema.parse({
    ...fromEnv,
    ...given,
    budgets: { ...budgets, ...given.budgets },
  });
}
