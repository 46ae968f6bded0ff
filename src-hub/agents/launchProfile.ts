// Builds a Claude Code session's command line: its id, the hub's MCP server with the session's token,
// per-session hooks (never the user's global settings), the system prompt addition and tool permissions.
// Never a prompt or a task: every local user sees a command line in `ps` (issue 9); the first input is
// typed at Claude's first idle prompt by the prompt injector instead.
import type { AgentConfig } from './config.js';
import type { LaunchProfile } from './version.js';

export const MCP_SERVER_NAME = 'switchboard';

/** Hook events the hub listens to (HTTP hooks), and the one where HTTP hooks are skipped (command hook). */
export const HTTP_HOOK_EVENTS = [
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PermissionRequest',
  'Notification',
  'Stop',
  'StopFailure',
  'SessionEnd',
] as const;

export const SYSTEM_PROMPT = [
  'You run inside Switchboard, a hub that connects several Claude Code sessions.',
  'Its tools (server "switchboard"): list_sessions; delegate (hand a subtask to another session: an existing one',
  'with "to", a new one in directory "cwd"; "wait_s" waits for the result); get_task and list_tasks;',
  'report_result; send_message; cancel_task, reroute_task and retry_task (for tasks you delegated); spawn_worker (start a Docker worker: a Claude session in a container',
  "on the repository, which may start workers of its own within the hub's budgets).",
  'A message that starts with "[switchboard task <id>]" is a task delegated to you: do it, then always finish',
  'by calling report_result with that task_id, status done, failed or blocked, and a short summary.',
  'A line starting with "[switchboard]" is a notice from the hub, for example a finished task you delegated.',
].join(' ');

// Posts the hook's JSON to the hub; used for SessionStart, where Claude Code skips HTTP hooks (§5.2).
const RELAY_SCRIPT =
  "let b='';process.stdin.on('data',d=>b+=d).on('end',()=>{fetch(process.env.SWITCHBOARD_HOOK_URL,{method:'POST'," +
  "headers:{'content-type':'application/json',authorization:'Bearer '+process.env.SWITCHBOARD_SESSION_TOKEN},body:b})" +
  '.catch(()=>{}).finally(()=>process.exit(0))})';

export interface ClaudeLaunchInput {
  hubUrl: string;
  claudeSessionId: string;
  /** Continue that conversation (`--resume`) instead of starting one with that id. */
  resume?: boolean;
  token: string;
  config: AgentConfig;
  profile: LaunchProfile;
  /** The Node binary that runs the command hook (the hub's own). */
  nodePath: string;
  /** Tools allowed without asking besides the hub's own (a worker tree's policy, docs/workers.md). */
  allowedTools?: string[] | undefined;
}

/** Seconds Claude Code waits for the held PermissionRequest hook beyond the hub's own hold. */
const HOLD_MARGIN_SECONDS = 30;

/**
 * `permissionHoldSeconds`: how long the hub holds a permission request for the inbox; the hook's own
 * timeout is a little longer, so the hub's "no decision" arrives before Claude Code gives up on the hook.
 */
export function hookSettings(hubUrl: string, nodePath: string, permissionHoldSeconds: number) {
  const http = {
    type: 'http',
    url: `${hubUrl}/hooks`,
    headers: { Authorization: 'Bearer $SWITCHBOARD_SESSION_TOKEN' },
    allowedEnvVars: ['SWITCHBOARD_SESSION_TOKEN'],
    timeout: 5,
  };
  const relay = {
    type: 'command',
    // Inside the desktop app the hub's executable is Electron, which runs as plain Node only when told to.
    command: `ELECTRON_RUN_AS_NODE=1 "${nodePath}" -e "${RELAY_SCRIPT.replace(/"/g, '\\"')}"`,
    timeout: 10,
  };
  const hooks: Record<string, Array<{ hooks: unknown[] }>> = { SessionStart: [{ hooks: [relay] }] };
  for (const event of HTTP_HOOK_EVENTS) hooks[event] = [{ hooks: [http] }];
  hooks.PermissionRequest = [
    { hooks: [{ ...http, timeout: Math.ceil(permissionHoldSeconds) + HOLD_MARGIN_SECONDS }] },
  ];
  return { hooks };
}

export function buildClaudeLaunch(input: ClaudeLaunchInput): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  const { config } = input;
  const mcpConfig = {
    mcpServers: {
      [MCP_SERVER_NAME]: {
        type: 'http',
        url: `${input.hubUrl}/mcp`,
        // Expanded by Claude Code from the environment, so the token never shows in `ps`.
        headers: { Authorization: 'Bearer ${SWITCHBOARD_SESSION_TOKEN}' },
      },
    },
  };
  const args = [
    ...config.args,
    input.resume ? '--resume' : '--session-id',
    input.claudeSessionId,
    '--mcp-config',
    JSON.stringify(mcpConfig),
    '--settings',
    JSON.stringify(hookSettings(input.hubUrl, input.nodePath, config.permissionHoldSeconds)),
    '--append-system-prompt',
    SYSTEM_PROMPT,
  ];
  const allowed = [
    ...(config.allowHubTools ? [`mcp__${MCP_SERVER_NAME}`] : []),
    ...(input.allowedTools ?? []),
  ];
  // One flag, one argument per rule (a rule may hold a space: `Bash(npm test)`).
  if (allowed.length > 0) args.push('--allowedTools', ...allowed);
  if (config.permissionMode) {
    const mode = config.permissionMode === 'manual' ? input.profile.manualMode : config.permissionMode;
    args.push('--permission-mode', mode);
  }
  return {
    command: config.binary,
    args,
    env: {
      ...config.env,
      SWITCHBOARD_SESSION_TOKEN: input.token,
      SWITCHBOARD_HOOK_URL: `${input.hubUrl}/hooks`,
    },
  };
}
