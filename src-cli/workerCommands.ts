// `switchboard worker build` and `switchboard worker ls`: they talk to the Docker daemon directly (no hub
// needed), so orphaned workers can be listed while no hub runs.
// The Docker client loads only when one of them runs, so the rest of the CLI starts fast (issue 12).
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
    .description("worker containers (any hub's; HUB says whether this one started them)")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      try {
        const { connectDocker, listWorkerContainers } = await docker();
        const containers = await listWorkerContainers(connectDocker());
        const ours = readHubId(defaultStateDir()) ?? '';
        if (options.json)
          return printJson(containers.map((container) => ({ ...container, ours: container.hub === ours })));
        if (containers.length === 0) {
          process.stdout.write('No worker containers. Start one with `switchboard new --docker`.\n');
          return;
        }
        const rows = containers.map((container) => [
          container.id.slice(0, 12),
          container.name,
          container.state,
          String(container.depth),
          container.session.slice(0, 8),
          container.task?.slice(0, 8) ?? '-',
          container.parent?.slice(0, 8) ?? '-',
          container.hub === ours ? 'this' : container.hub.slice(0, 8),
          container.image,
        ]);
        process.stdout.write(
          table([
            ['CONTAINER', 'NAME', 'STATE', 'DEPTH', 'SESSION', 'TASK', 'PARENT', 'HUB', 'IMAGE'],
            ...rows,
          ]),
        );
      } catch (error) {
        reportError(error, options.json === true);
      }
    });
}
