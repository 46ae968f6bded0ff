// The local runtime's launcher: a session on this machine under node-pty, running the given command or
// Claude Code with the hub's launch profile (hooks and MCP pointed back at this hub).
import { HubError } from '../../src-protocol/index.js';
import type { CreateOptions, Launch, Launcher } from '../sessions/launcher.js';
import type { AgentConfig } from './config.js';
import type { SessionCredentials } from './credentials.js';
import { buildClaudeLaunch } from './launchProfile.js';
import type { VersionDetector } from './version.js';

export interface LocalLauncherDeps {
  agent: AgentConfig;
  /** The environment sessions start from (the hub's, without its secrets). */
  baseEnv: Record<string, string>;
  versions: Pick<VersionDetector, 'detect'>;
  credentials: Pick<SessionCredentials, 'issue'>;
  /** The hub's URL once it listens: Claude sessions need its hook and MCP endpoints. */
  hubUrl(): string | undefined;
}

export class LocalLauncher implements Launcher {
  readonly runtime = 'local';

  constructor(private readonly deps: LocalLauncherDeps) {}

  async launch(options: CreateOptions, id: string): Promise<Launch> {
    if (options.command)
      return { kind: 'command', command: options.command, args: options.args ?? [], env: options.env ?? {} };
    const hubUrl = this.deps.hubUrl();
    if (!hubUrl)
      throw new HubError('not_allowed', 'Claude sessions need a listening hub (its MCP and hook endpoints).');
    const { agent } = this.deps;
    const { profile } = await this.deps.versions.detect(agent.binary, agent.args, {
      ...this.deps.baseEnv,
      ...agent.env,
    });
    const claude = buildClaudeLaunch({
      hubUrl,
      claudeSessionId: id,
      resume: options.resumes?.transcript === true,
      token: this.deps.credentials.issue(id),
      config: agent,
      profile,
      nodePath: process.execPath,
    });
    return { kind: 'claude', ...claude, env: { ...claude.env, ...options.env } };
  }
}
