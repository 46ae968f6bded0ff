// The hub's MCP tools (names and arguments are the contract): thin adapters onto the task router and the
// session registry. The caller is whoever the bearer token says, never what the arguments say.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AllowedToolsSchema, HubError, type TaskInfo } from '../../src-protocol/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { MAX_WAIT_SECONDS, type TaskRouter } from '../tasks/router.js';
import type { Caller } from '../tasks/routerPorts.js';

export interface ToolContext {
  router: TaskRouter;
  registry: SessionRegistry;
}

/** Tasks as tools return them: snake_case, like the arguments. */
export const taskForTool = (task: TaskInfo) => ({
  task_id: task.id,
  title: task.title,
  status: task.status,
  from: task.fromName,
  from_session: task.fromSession,
  to: task.toName,
  to_session: task.toSession,
  parent_task_id: task.parentId,
  result: task.result,
  created_at: task.createdAt,
  updated_at: task.updatedAt,
  deadline_at: task.deadlineAt,
  retry_of: task.retryOf ?? null,
  retried_as: task.retriedAs ?? null,
  history: (task.history ?? []).map((step) => step.text),
});

type ToolResult = {
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

/** Runs a tool body; an expected failure becomes a tool error that says what to fix. */
async function run(
  body: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<ToolResult> {
  try {
    const value = await body();
    return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    return { content: [{ type: 'text', text: `${error.code}: ${error.message}` }], isError: true };
  }
}

const waitSeconds = z
  .number()
  .min(0)
  .max(MAX_WAIT_SECONDS)
  .optional()
  .describe(
    `Wait up to this many seconds (at most ${MAX_WAIT_SECONDS}) for the task to finish; returns early when it does.`,
  );

/** What both tools that start a task (delegate, spawn_worker) take first: its instructions and a title. */
const taskArguments = (instructions: string) => ({
  instructions: z.string().min(1).max(100_000).describe(instructions),
  title: z.string().min(1).max(200).optional().describe('A short title for the task list and graph.'),
});

/** A directory on the hub's machine: where a new session runs, or the repository a worker mounts. */
const directory = (description: string) => z.string().min(1).max(4096).optional().describe(description);

export function registerTools(server: McpServer, caller: Caller, { router, registry }: ToolContext): void {
  server.registerTool(
    'list_sessions',
    {
      description:
        'List the sessions on this Switchboard hub: id, name, cwd, status, and whether you may delegate to each. ' +
        'A Docker worker sees only itself and the sessions it shares a task with.',
      inputSchema: {},
    },
    () =>
      run(() => ({
        sessions: registry
          .list()
          .filter(router.reaches(caller))
          .map((session) => ({
            id: session.id,
            name: session.name,
            cwd: session.spec.cwd,
            status: session.status,
            kind: session.kind,
            you: session.id === caller.session?.id,
            can_delegate: session.kind === 'claude' && !session.isEnded && session.id !== caller.session?.id,
          })),
      })),
  );

  server.registerTool(
    'delegate',
    {
      description:
        'Hand a subtask to another Claude Code session: an existing one ("to": id or name), a new one in directory ' +
        '"cwd", or by default a new one in your own directory. The target ends it with report_result. Returns ' +
        '{task_id, session_id, status}; with wait_s also the result if it finished in time.',
      inputSchema: {
        ...taskArguments('What the other session should do, self-contained.'),
        to: z.string().min(1).max(200).optional().describe('An existing session (id, id prefix or name).'),
        cwd: directory('Directory for a new session (for another repository).'),
        worktree: z
          .union([z.boolean(), z.string().min(1).max(200)])
          .optional()
          .describe('New sessions: work in a git worktree on a new branch (true) or on this branch name.'),
        wait_s: waitSeconds,
      },
    },
    (args) =>
      run(async () => {
        const task = await router.delegate(caller, {
          instructions: args.instructions,
          title: args.title,
          to: args.to,
          cwd: args.cwd,
          waitSeconds: args.wait_s,
          worktree: args.worktree,
        });
        return { task_id: task.id, session_id: task.toSession, status: task.status, result: task.result };
      }),
  );

  server.registerTool(
    'spawn_worker',
    {
      description:
        'Start a worker: a new Claude Code session in a Docker container (or a Kubernetes pod), at /workspace, ' +
        'that does "instructions" and ends with report_result. It has these tools too, so it can start workers ' +
        'of its own, within budgets (depth, workers per tree, running at once, a deadline) the hub enforces. ' +
        'Returns {task_id, session_id, status}; with wait_s also the result if it finished in time.',
      inputSchema: {
        ...taskArguments('What the worker should do, self-contained.'),
        repo: directory(
          'The repository to mount at /workspace; default yours (a worker may name only its own, or below).',
        ),
        image: z
          .string()
          .min(1)
          .max(512)
          .optional()
          .describe("A worker image the hub allows; default: the parent worker's image, else the hub's."),
        runtime: z
          .enum(['docker', 'kubernetes'])
          .optional()
          .describe(
            "Where the worker runs: a Docker container here, or a Kubernetes pod; default the hub's.",
          ),
        allowed_tools: AllowedToolsSchema.optional().describe(
          'Docker only: tools the worker runs without asking (Claude Code rules, e.g. "Bash(npm test)", "Edit"); ' +
            "anything else waits for a human's answer in the hub's inbox. Default: your tree's (a worker may only narrow it).",
        ),
        wait_s: waitSeconds,
      },
    },
    (args) =>
      run(async () => {
        const task = await router.spawnWorker(caller, {
          allowedTools: args.allowed_tools,
          instructions: args.instructions,
          title: args.title,
          repo: args.repo,
          image: args.image,
          runtime: args.runtime,
          waitSeconds: args.wait_s,
        });
        return { task_id: task.id, session_id: task.toSession, status: task.status, result: task.result };
      }),
  );

  server.registerTool(
    'get_task',
    {
      description:
        'A task you delegated or were given: status and result. With wait_s, waits for it to finish.',
      inputSchema: { task_id: z.string().min(1).max(100), wait_s: waitSeconds },
    },
    (args) => run(async () => taskForTool(await router.get(caller, args.task_id, args.wait_s))),
  );

  server.registerTool(
    'list_tasks',
    {
      description: 'Your tasks, in both directions: those you delegated and those given to you.',
      inputSchema: {},
    },
    () => run(() => ({ tasks: router.list(caller).map(taskForTool) })),
  );

  server.registerTool(
    'report_result',
    {
      description:
        'Finish a task that was delegated to you, with its outcome. task_id may be left out when you have exactly ' +
        'one open task.',
      inputSchema: {
        status: z
          .enum(['done', 'failed', 'blocked'])
          .describe('done: finished; failed: could not; blocked: needs something.'),
        summary: z.string().min(1).max(20_000).describe('What you did or found, for the session that asked.'),
        details: z.string().max(200_000).optional().describe('Longer output, if any.'),
        task_id: z.string().min(1).max(100).optional(),
      },
    },
    (args) =>
      run(async () => {
        const task = await router.report(caller, {
          status: args.status,
          summary: args.summary,
          details: args.details,
          taskId: args.task_id,
        });
        return { task_id: task.id, status: task.status };
      }),
  );

  server.registerTool(
    'send_message',
    {
      description:
        "Type a message into another Claude session's prompt: at once when it is idle, queued until then " +
        'otherwise. Only Claude sessions take messages (never a shell or another program); a Docker worker ' +
        'may message only the sessions it shares a task with.',
      inputSchema: { to: z.string().min(1).max(200), text: z.string().min(1).max(20_000) },
    },
    (args) =>
      run(() => {
        const target = router.sendMessage(caller, args.to, args.text);
        return { to: target.id, status: target.status, queued: target.status !== 'idle' };
      }),
  );

  server.registerTool(
    'cancel_task',
    {
      description: 'Cancel a task you delegated, and every task delegated from it.',
      inputSchema: { task_id: z.string().min(1).max(100) },
    },
    (args) =>
      run(async () => {
        const task = await router.cancel(caller, args.task_id);
        return { task_id: task.id, status: task.status };
      }),
  );

  registerRoutingTools(server, caller, router);
}

/** Re-route and retry (issue 17): a session acts on the tasks it delegated; the owner on any. */
function registerRoutingTools(server: McpServer, caller: Caller, router: TaskRouter): void {
  server.registerTool(
    'reroute_task',
    {
      description:
        'Move a task you delegated that is still queued (not yet typed into its session) to another Claude ' +
        'session. It keeps its id; its history records the move. A task already delivered is refused ' +
        '(task_delivered): send a copy with retry_task.',
      inputSchema: {
        task_id: z.string().min(1).max(100),
        to: z.string().min(1).max(200).describe('The Claude session to move it to (id, id prefix or name).'),
      },
    },
    (args) => run(() => taskForTool(router.reroute(caller, args.task_id, args.to))),
  );

  server.registerTool(
    'retry_task',
    {
      description:
        'Re-send a task you delegated as a new task: to "to", to a new session in "cwd", or by default to the ' +
        'same session (a new one in its directory if it ended). The copy and the original name each other; an ' +
        'open original is cancelled. A running original needs force: true.',
      inputSchema: {
        task_id: z.string().min(1).max(100),
        to: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('An existing Claude session (id, id prefix or name).'),
        cwd: directory('Directory for a new session.'),
        force: z.boolean().optional().describe('Cancel a running original and send the copy anyway.'),
      },
    },
    (args) =>
      run(async () => {
        const { task, original } = await router.retry(caller, args.task_id, {
          to: args.to,
          cwd: args.cwd,
          force: args.force,
        });
        return { ...taskForTool(task), original: taskForTool(original) };
      }),
  );
}
