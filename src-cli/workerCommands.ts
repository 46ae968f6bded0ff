// `switchboard worker build` and `switchboard worker ls`: they talk to the Docker daemon directly (no hub
// needed), so orphaned workers can be listed while no hub runs.
// The Docker client loads only when one of them runs, so the rest of the CLI starts fast (issue 12).
import type { Command } from 'commander';
import { defaultStateDir } from '../src-hub/stateDir.js';
import { DEFAULT_WORKER_IMAGE } from '../src-hub/workers/config.js';
import { readHubId } from '../src-hub/workers/labels.js';
import { printJson, reportError, table } from './output.js';

const docker = () => import('../src-hub/workers/docker.js');

export function registerWorkerCommands(program: Command): void {
  const worker = program.command('worker').description('Docker workers: build the image, list containers');

  worker
    .command('build')
    .description('build the worker image from src-worker/Dockerfile (progress shown)')
    .option('--base <image>', 'base image with Node 20+ and a shell (default node:20-bookworm-slim)')
    .option('--tag <tag>', 'tag for the image', DEFAULT_WORKER_IMAGE)
    .option('--no-claude', 'the base already has `claude` on PATH: do not install it')
    .option('--claude-version <version>', 'the Claude Code version to install')
    .option('--network <mode>', 'network for the build steps (npm install)', 'host')
    .action(
      async (options: {
        base?: string;
        tag: string;
        claude: boolean;
        claudeVersion?: string;
        network: string;
      }) => {
        try {
          const { buildWorkerImage, connectDocker } = await docker();
          const id = await buildWorkerImage(connectDocker(), {
            tag: options.tag,
            installClaude: options.claude,
            network: options.network,
            ...(options.base ? { base: options.base } : {}),
            ...(options.claudeVersion ? { claudeVersion: options.claudeVersion } : {}),
            onProgress: (line) => process.stdout.write(`${line}\n`),
          });
          process.stdout.write(`Built ${options.tag} (${id.replace(/^sha256:/, '').slice(0, 12)}).\n`);
        } catch (error) {
          reportError(error, false);
        }
      },
    );

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
