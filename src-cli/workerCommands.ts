// `switchboard worker build` and `switchboard worker ls`: they talk to the Docker daemon (and, for pods, the
// Kubernetes API server) directly (no hub needed), so orphaned workers can be listed while no hub runs.
// The Docker and Kubernetes clients load only when one of them runs, so the rest of the CLI starts fast (issue 12).
import type { Command } from 'commander';
import type Docker from 'dockerode';
import { defaultStateDir } from '../src-hub/stateDir.js';
import { DEFAULT_WORKER_IMAGE } from '../src-hub/workers/config.js';
import { readHubId } from '../src-hub/workers/labels.js';
import { HubError } from '../src-protocol/index.js';
import { printJson, reportError, table } from './output.js';

const docker = () => import('../src-hub/workers/docker.js');

interface BuildCommandOptions {
  base?: string;
  baseFromHost?: boolean;
  claudeBinary?: string;
  tag: string;
  claude: boolean;
  claudeVersion?: string;
  network: string;
}

/** `--base-from-host`: the base image from this machine's files, its progress printed as it goes. */
async function buildBaseFromHost(
  client: Docker,
  options: BuildCommandOptions,
  print: (line: string) => void,
) {
  const { buildHostBase } = await import('../src-hub/workers/hostBase.js');
  print('Assembling a worker base from this machine (no registry needed)…');
  return buildHostBase(client, {
    // Named after the worker image it is for, so a test's or a second install's never replaces another's.
    tag: `${options.tag.replace(/:[^:/]*$/, '')}-base:host-node${process.versions.node}`,
    withClaude: true,
    ...(options.claudeBinary ? { claudeBinary: options.claudeBinary } : {}),
    onProgress: (line) => print(`  ${line}`),
  });
}

export function registerWorkerCommands(program: Command): void {
  const worker = program.command('worker').description('Docker workers: build the image, list containers');

  worker
    .command('build')
    .description('build the worker image from src-worker/Dockerfile (progress shown)')
    .option('--base <image>', 'base image with Node 20+ and a shell (default node:20-bookworm-slim)')
    .option(
      '--base-from-host',
      "no registry needed: assemble the base from this machine's Node, a shell and Claude Code's native binary",
    )
    .option(
      '--claude-binary <path>',
      'with --base-from-host: the Claude Code binary (default: `claude` on PATH)',
    )
    .option('--tag <tag>', 'tag for the image', DEFAULT_WORKER_IMAGE)
    .option('--no-claude', 'the base already has `claude` on PATH: do not install it')
    .option('--claude-version <version>', 'the Claude Code version to install')
    .option('--network <mode>', 'network for the build steps (npm install)', 'host')
    .action(async (options: BuildCommandOptions) => {
      try {
        if (options.baseFromHost && options.base)
          throw new HubError('invalid_message', 'Give --base or --base-from-host, not both.');
        const { buildWorkerImage, connectDocker } = await docker();
        const client = connectDocker();
        const print = (line: string) => process.stdout.write(`${line}\n`);
        const host = options.baseFromHost ? await buildBaseFromHost(client, options, print) : undefined;
        const id = await buildWorkerImage(client, {
          tag: options.tag,
          installClaude: host ? false : options.claude,
          network: host ? 'none' : options.network,
          ...(host ? { base: host.tag } : options.base ? { base: options.base } : {}),
          ...(host?.claude
            ? { claudeVersion: host.claude.version }
            : options.claudeVersion
              ? { claudeVersion: options.claudeVersion }
              : {}),
          onProgress: print,
        });
        print(`Built ${options.tag} (${id.replace(/^sha256:/, '').slice(0, 12)}).`);
        if (host)
          print(
            `Its base ${host.tag} was assembled from this machine: node ${host.node}, Claude Code ` +
              `${host.claude?.version ?? '(none)'} from ${host.claude?.path ?? '-'}, ${host.files} files, ` +
              `${(host.bytes / 1024 / 1024).toFixed(0)} MiB. Nothing was downloaded.`,
          );
      } catch (error) {
        reportError(error, false);
      }
    });

  worker
    .command('ls')
    .description(
      "worker containers and pods (any hub's; HUB says whether this one started them); pods are listed " +
        'when a kubeconfig is found (SWITCHBOARD_KUBE_CONFIG, KUBECONFIG, ~/.kube/config)',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      try {
        const workers = await listAllWorkers();
        const ours = readHubId(defaultStateDir()) ?? '';
        if (options.json)
          return printJson(workers.map((worker) => ({ ...worker, ours: worker.hub === ours })));
        if (workers.length === 0) {
          process.stdout.write(
            'No workers. Start one with `switchboard new --worker docker` (or `--worker kubernetes`).\n',
          );
          return;
        }
        const rows = workers.map((worker) => [
          worker.id.slice(0, worker.runtime === 'kubernetes' ? 63 : 12),
          worker.runtime,
          worker.name,
          worker.state,
          worker.node ?? '-',
          String(worker.depth),
          worker.session.slice(0, 8),
          worker.task?.slice(0, 8) ?? '-',
          worker.parent?.slice(0, 8) ?? '-',
          worker.hub === ours ? 'this' : worker.hub.slice(0, 8),
          worker.image,
        ]);
        const heading = [
          'ID',
          'RUNTIME',
          'NAME',
          'STATE',
          'NODE',
          'DEPTH',
          'SESSION',
          'TASK',
          'PARENT',
          'HUB',
        ];
        process.stdout.write(table([[...heading, 'IMAGE'], ...rows]));
      } catch (error) {
        reportError(error, options.json === true);
      }
    });
}

/**
 * Docker's containers and, when a kubeconfig is there, the cluster's pods. One runtime that cannot be
 * asked is a note on stderr while the other answers; both failing (or Docker alone, with no cluster
 * configured) is the error.
 */
async function listAllWorkers() {
  const { connectDocker, listWorkerContainers } = await docker();
  const { resolveKubeSettings } = await import('../src-hub/kube/settings.js');
  const { kubeConfigured, listWorkerPods } = await import('../src-hub/kube/pods.js');
  const settings = resolveKubeSettings({}, process.env);
  const [containers, pods] = await Promise.allSettled([
    listWorkerContainers(connectDocker()),
    kubeConfigured(settings, process.env) ? listWorkerPods(settings, process.env) : Promise.resolve(null),
  ]);
  if (containers.status === 'rejected' && (pods.status === 'rejected' || pods.value === null))
    throw containers.reason;
  const note = (result: PromiseSettledResult<unknown>) => {
    if (result.status === 'rejected')
      process.stderr.write(`switchboard: ${(result.reason as Error).message}\n`);
  };
  note(containers);
  note(pods);
  return [
    ...(containers.status === 'fulfilled'
      ? containers.value.map((container) => ({
          ...container,
          runtime: 'docker' as const,
          node: null,
          phase: container.state,
        }))
      : []),
    ...(pods.status === 'fulfilled' ? (pods.value ?? []) : []),
  ];
}
