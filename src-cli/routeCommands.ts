// `switchboard reroute | retry`: route a task after it was delegated (issue 17).
import { InvalidArgumentError, type Command } from 'commander';
import { withHub } from './hubAction.js';
import { printJson } from './output.js';

const short = (id: string) => id.slice(0, 8);

export function registerRouteCommands(program: Command): void {
  program
    .command('reroute')
    .description('move a task not yet delivered (queued) to another Claude session; it keeps its id')
    .argument('<task>', 'task id or unique id prefix')
    .requiredOption('--to <session>', 'the Claude session to move it to (id, id prefix or name)')
    .option('--json', 'print the task as JSON')
    .addHelpText(
      'after',
      '\nA task already delivered cannot move: send a copy with `switchboard retry TASK --to SESSION`.',
    )
    .action(
      withHub(async (client, task: string, options: { to: string; json?: boolean }) => {
        const reply = await client.expect('task.result', { type: 'task.reroute', task, to: options.to });
        if (options.json) return printJson(reply.task);
        process.stdout.write(
          `Task ${short(reply.task.id)} re-routed to ${reply.task.toName}: ${reply.task.status}.\n`,
        );
      }),
    );

  program
    .command('retry')
    .description(
      'send a copy of a task to a session (default: where it went; a new one there if it ended); ' +
        'the original is cancelled if still open',
    )
    .argument('<task>', 'task id or unique id prefix')
    .option('--to <session>', 'an existing Claude session (id, id prefix or name)')
    .option('--cwd <dir>', 'start a new Claude session in this directory for the copy')
    .option('--worktree [branch]', 'with --cwd: the new session works in a git worktree (on BRANCH)')
    .option('--force', 'retry a task that is still running (it is cancelled)')
    .option('--json', 'print {task, original} as JSON')
    .addHelpText('after', '\nExample: switchboard retry 3f2a9c1e --to reviewer')
    .action(
      withHub(
        async (
          client,
          task: string,
          options: {
            to?: string;
            cwd?: string;
            worktree?: string | boolean;
            force?: boolean;
            json?: boolean;
          },
        ) => {
          if (options.to && options.cwd)
            throw new InvalidArgumentError('Give either --to SESSION or --cwd DIR, not both.');
          if (options.worktree && !options.cwd) throw new InvalidArgumentError('--worktree goes with --cwd.');
          const reply = await client.expect('task.retry.result', {
            type: 'task.retry',
            task,
            ...(options.to ? { to: options.to } : {}),
            ...(options.cwd ? { cwd: options.cwd } : {}),
            ...(options.worktree ? { worktree: options.worktree } : {}),
            ...(options.force ? { force: true } : {}),
          });
          if (options.json) return printJson({ task: reply.task, original: reply.original });
          const { task: copy, original } = reply;
          process.stdout.write(
            `Task ${short(original.id)} re-sent as ${short(copy.id)} → ${copy.toName}: ${copy.status}` +
              ` (the original is ${original.status}). Follow it with: switchboard task ${short(copy.id)}\n`,
          );
        },
      ),
    );
}
