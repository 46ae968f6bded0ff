// How Claude Code sessions are launched on this hub: binary, extra args and env, tool permission policy.
// Set in code (createHub ports) or with environment variables, so tests can run a fake agent or the real
// CLI against a scripted model.
import { z } from 'zod';

export const AgentConfigSchema = z.object({
  /** The Claude Code executable (name on PATH or a path). */
  binary: z.string().min(1).default('claude'),
  /** Arguments put before the hub's own (e.g. a script path when `binary` is an interpreter). */
  args: z.array(z.string()).default([]),
  /** Extra environment for every Claude session (e.g. ANTHROPIC_BASE_URL, CLAUDE_CONFIG_DIR). */
  env: z.record(z.string(), z.string()).default({}),
  /** Pass `--allowedTools mcp__switchboard` so the hub's own tools need no permission prompt. */
  allowHubTools: z.boolean().default(true),
  /** `--permission-mode` for every session; unset leaves Claude Code's default. */
  permissionMode: z.string().optional(),
  /** Type a one-line notice into a delegator's prompt when its task finishes and it is not waiting. */
  notifyResults: z.boolean().default(true),
  /** Seconds a delivered task may stay unreported after its session stops before it closes as unreported. */
  unreportedGraceSeconds: z.number().min(0).default(30),
  /**
   * Seconds a permission request waits in the inbox for an answer; after that the hook gives no decision
   * and Claude Code's own prompt (on its screen all along) decides.
   */
  permissionHoldSeconds: z.number().min(1).max(86_400).default(600),
  /** Seconds a task may stay open before it times out. */
  taskDeadlineSeconds: z.number().min(1).default(3600),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

const parseList = (value: string): string[] => {
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) return z.array(z.string()).parse(JSON.parse(trimmed));
  return trimmed.split(/\s+/).filter(Boolean);
};

/**
 * Reads SWITCHBOARD_CLAUDE_BIN, SWITCHBOARD_CLAUDE_ARGS (JSON array or words), SWITCHBOARD_CLAUDE_ENV (JSON
 * object), SWITCHBOARD_CLAUDE_ALLOW_HUB_TOOLS (0/1), SWITCHBOARD_PERMISSION_MODE, SWITCHBOARD_NOTIFY_RESULTS
 * (0/1), SWITCHBOARD_PERMISSION_HOLD_SECONDS; values given in code win over the environment.
 */
export function resolveAgentConfig(
  given: Partial<AgentConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): AgentConfig {
  const fromEnv: Partial<AgentConfig> = {};
  if (env.SWITCHBOARD_CLAUDE_BIN) fromEnv.binary = env.SWITCHBOARD_CLAUDE_BIN;
  if (env.SWITCHBOARD_CLAUDE_ARGS) fromEnv.args = parseList(env.SWITCHBOARD_CLAUDE_ARGS);
  if (env.SWITCHBOARD_CLAUDE_ENV)
    fromEnv.env = z.record(z.string(), z.string()).parse(JSON.parse(env.SWITCHBOARD_CLAUDE_ENV));
  if (env.SWITCHBOARD_CLAUDE_ALLOW_HUB_TOOLS)
    fromEnv.allowHubTools = env.SWITCHBOARD_CLAUDE_ALLOW_HUB_TOOLS !== '0';
  if (env.SWITCHBOARD_PERMISSION_MODE) fromEnv.permissionMode = env.SWITCHBOARD_PERMISSION_MODE;
  if (env.SWITCHBOARD_NOTIFY_RESULTS) fromEnv.notifyResults = env.SWITCHBOARD_NOTIFY_RESULTS !== '0';
  if (env.SWITCHBOARD_PERMISSION_HOLD_SECONDS)
    fromEnv.permissionHoldSeconds = Number(env.SWITCHBOARD_PERMISSION_HOLD_SECONDS);
  return AgentConfigSchema.parse({ ...fromEnv, ...given });
}
