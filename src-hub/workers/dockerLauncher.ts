// The Docker runtime's launcher: a worker session, Claude Code in a container (docs/workers.md); the
// WorkerRuntime prepares the container, this only checks what a worker cannot be asked to do.
import { HubError } from '../../src-protocol/index.js';
import type { CreateOptions, Launch, Launcher } from '../sessions/launcher.js';
import type { WorkerRuntime } from './runtime.js';

export class DockerLauncher implements Launcher {
  readonly runtime = 'docker';

  constructor(
    private readonly workers: Pick<WorkerRuntime, 'launch'>,
    /** The hub's URL once it listens: a worker's Claude calls back to its hook and MCP endpoints. */
    private readonly hubUrl: () => string | undefined,
  ) {}

  async launch(options: CreateOptions, id: string): Promise<Launch> {
    if (options.command)
      throw new HubError(
        'invalid_message',
        'A worker runs Claude Code; another program is SWITCHBOARD_WORKER_COMMAND.',
      );
    const hubUrl = this.hubUrl();
    if (!hubUrl)
      throw new HubError('not_allowed', 'Workers need a listening hub (its MCP and hook endpoints).');
    return this.workers.launch(options, id, hubUrl);
  }
}
