// The `switchboard` command: every subcommand is a HubClient call, except `hub`, which runs one.
import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { HUB_VERSION } from '../src-hub/version.js';
import { runAttach } from './attachCommand.js';
import { connectHub, findHub } from './connect.js';
import { DEFAULT_LAN_PORT, DEFAULT_PORT } from './defaults.js';
import { integer, sessionName, withHub } from './hubAction.js';
import { registerInboxCommands } from './inboxCommands.js';
import { registerInviteCommands } from './inviteCommands.js';
import { registerRouteCommands } from './routeCommands.js';
import { registerSessionCommands } from './sessionCommands.js';
import { runOpen } from './openCommand.js';
import { printJson, reportError, sessionTable } from './output.js';
import { runDelegate, runTasks, taskDetail, withBranchUsage } from './taskCommands.js';
import { registerWorkerCommands } from './workerCommands.js';
import type { HubOptions } from './hubCommand.js';

// A command parses a few messages once: compiling a parser for each schema it meets (zod's JIT, worth it in
// the long-running hub and app) costs more than it saves here. The schemas are built on first use, after
// this line (src-protocol/messages/lazy.ts).
z.config({ jitless: true });

const program = new Command('switchboard')
  .description('Run, share and connect a crew of Claude Code sessions.')
  .version(HUB_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    '\nThe hub keeps its state in $SWITCHBOARD_HOME (default: your per-user data directory).\n' +
      'Other commands find it through hub.json there, or SWITCHBOARD_URL and SWITCHBOARD_TOKEN.',
  );

program
  .command('hub')
  .description('run the hub in the foreground; prints its URL and writes hub.json')
  .option('--port <n>', `port to listen on (0 picks a free one)`, integer('--port', 0, 65535), DEFAULT_PORT)
  .option('--host <addr>', 'address to bind (loopback unless you mean to share on a LAN)', '127.0.0.1')
  .option('--open', 'also print (and open, where a browser exists) a one-time web UI login link')
  .option('--lan', 'also listen on the network, TLS only, for invitees (see `switchboard invite`)')
  .option('--bind <addr>', "with --lan: the address to listen on (default: this machine's first)")
  .option('--lan-port <n>', 'with --lan: the port', integer('--lan-port', 0, 65535), DEFAULT_LAN_PORT)
  .option('--cert <file>', 'with --lan: your own certificate (PEM) instead of the generated one')
  .option('--key <file>', "with --lan: your certificate's private key (PEM)")
  .option(
    '--max-sessions <n>',
    'live sessions at once (default 64, or SWITCHBOARD_MAX_SESSIONS)',
    integer('--max-sessions', 1, 100_000),
  )
  .action(async (options: HubOptions) => {
    try {
      if (!options.lan && (options.bind || options.cert || options.key))
        throw new InvalidArgumentError('--bind, --cert and --key go with --lan.');
      // The hub runs for long: it parses with zod's JIT (where the CLI's modules are not bundled, the hub
      // shares their zod, so the setting above must be undone).
      z.config({ jitless: false });
      // Loaded only here: the hub (node-pty, SQLite, MCP server) would slow every other command's start.
      const { runHub } = await import('./hubCommand.js');
      await runHub(options);
    } catch (error) {
      reportError(error, false);
    }
  });

program
  .command('open')
  .description('print (and open, where a browser exists) a one-time login link for the web UI')
  .option('--no-browser', 'only print the link')
  .option('--json', 'print {url, expiresAt}')
  .action(
    withHub(async (client, options: { browser: boolean; json?: boolean }) => {
      await runOpen(client, findHub().url, options);
    }),
  );

program
  .command('ls')
  .description('list sessions: id, name, status, clients, command, cwd')
  .option('--json', 'print JSON')
  .action(
    withHub(async (client, options: { json?: boolean }) => {
      const sessions = await client.listSessions();
      if (options.json) printJson(sessions);
      else process.stdout.write(sessionTable(sessions));
    }),
  );

program
  .command('new')
  .description('start a session (default command: claude)')
  .argument('[command...]', 'the command and its arguments, after --')
  .option('--name <name>', 'a unique name to refer to the session by (letters, digits, . _ -)', sessionName)
  .option('--cwd <dir>', 'working directory (default: this one)')
  .option('--cols <c>', 'terminal columns', integer('--cols', 2, 1000))
  .option('--rows <r>', 'terminal rows', integer('--rows', 1, 500))
  .option('--prompt <text>', "Claude sessions: the session's first input")
  .option('--worktree [branch]', 'run in a git worktree of the repository, on a new branch (or BRANCH)')
  .option(
    '--worker <runtime>',
    'run Claude in a worker: "docker" (a container here) or "kubernetes" (a pod); --cwd is its repository',
  )
  .option('--docker', 'the same as --worker docker')
  .option(
    '--image <image>',
    "with --worker: the worker image (default: the hub's, switchboard-worker:latest)",
  )
  .option(
    '--allow-tools <rules>',
    'with --docker: tools the worker tree runs without asking, comma-separated Claude Code rules ' +
      '(e.g. "Bash(npm test),Edit"); everything else asks through the inbox; its workers inherit them',
  )
  .option('--json', 'print the new session as JSON')
  .addHelpText('after', '\nExample: switchboard new --name build -- bash -lc "npm test"')
  .action(
    withHub(
      async (
        client,
        words: string[],
        options: {
          name?: string;
          cwd?: string;
          cols?: number;
          rows?: number;
          prompt?: string;
          worktree?: string | boolean;
          docker?: boolean;
          worker?: string;
          image?: string;
          allowTools?: string;
          json?: boolean;
        },
      ) => {
        const [command, ...args] = words;
        const runtime = options.worker ?? (options.docker ? 'docker' : undefined);
        if (runtime !== undefined && runtime !== 'docker' && runtime !== 'kubernetes')
          throw new InvalidArgumentError(`--worker takes docker or kubernetes, not "${runtime}".`);
        if (options.docker && options.worker && options.worker !== 'docker')
          throw new InvalidArgumentError('--docker and --worker kubernetes: pick one.');
        if (options.image && !runtime)
          throw new InvalidArgumentError('--image goes with --worker (or --docker).');
        const allowedTools = options.allowTools
          ?.split(/,(?![^(]*\))/)
          .map((rule) => rule.trim())
          .filter(Boolean);
        if (options.allowTools !== undefined && runtime !== 'docker')
          throw new InvalidArgumentError('--allow-tools goes with --docker (a Docker worker tree).');
        if (allowedTools?.length === 0)
          throw new InvalidArgumentError(
            '--allow-tools needs at least one rule, e.g. "Bash(npm test),Edit".',
          );
        const session = await client.createSession({
          ...(options.name ? { name: options.name } : {}),
          cwd: options.cwd ?? process.cwd(),
          ...(command ? { command, args } : {}),
          ...(options.cols ? { cols: options.cols } : {}),
          ...(options.rows ? { rows: options.rows } : {}),
          ...(options.prompt ? { prompt: options.prompt } : {}),
          ...(options.worktree ? { worktree: options.worktree } : {}),
          ...(runtime
            ? {
                [runtime]: {
                  ...(options.image ? { image: options.image } : {}),
                  ...(allowedTools ? { allowedTools } : {}),
                },
              }
            : {}),
        });
        if (options.json) printJson(session);
        else
          process.stdout.write(
            `Started ${session.name} (${session.id}). Attach with: switchboard attach ${session.name}\n`,
          );
      },
    ),
  );

program
  .command('attach')
  .description(`attach this terminal to a session; Ctrl-] detaches`)
  .argument('<session>', 'session id, id prefix or name')
  .option('--observe', 'watch only: never types, never resizes')
  .option(
    '--relay',
    'read keys and write output in this process; by default a local hub reads and writes this terminal itself, as tmux does',
  )
  .action(async (sessionRef: string, options: { observe?: boolean; relay?: boolean }) => {
    let client: Awaited<ReturnType<typeof connectHub>> | undefined;
    try {
      client = await connectHub(findHub(), { rawOutput: true });
      process.exitCode = await runAttach(client, sessionRef, options.observe === true, undefined, {
        handOver: options.relay !== true,
      });
    } catch (error) {
      client?.close(); // an open socket would keep the process alive after the error
      reportError(error, false);
    }
  });

program
  .command('send')
  .description('type text into a session as the owner, then Enter')
  .argument('<session>', 'session id, id prefix or name')
  .argument('<text>', 'what to type')
  .option('--no-enter', 'do not press Enter after the text')
  .action(
    withHub(async (client, session: string, text: string, options: { enter: boolean }) => {
      // With Enter, the hub types it as a submission: Claude Code needs the paste, then Enter (issue 16).
      if (text !== '') await client.input(session, text, { submit: options.enter });
      else if (options.enter) await client.input(session, '\r'); // just Enter
    }),
  );

program
  .command('screen')
  .description("print a session's current screen, from the hub's mirror")
  .argument('<session>', 'session id, id prefix or name')
  .option('--json', 'print JSON: cols, rows, cursor and lines')
  .action(
    withHub(async (client, session: string, options: { json?: boolean }) => {
      const screen = await client.screen(session);
      if (options.json) return printJson(screen);
      const lines = [...screen.lines];
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      process.stdout.write(lines.join('\n') + '\n');
    }),
  );

program
  .command('kill')
  .description("end a session's processes (it stays listed as ended until `rm`)")
  .argument('<session>', 'session id, id prefix or name')
  .action(
    withHub(async (client, session: string) => {
      await client.kill(session);
    }),
  );

program
  .command('rm')
  .description('remove an ended session from the list')
  .argument('<session>', 'session id, id prefix or name')
  .action(
    withHub(async (client, session: string) => {
      await client.remove(session);
    }),
  );

program
  .command('delegate')
  .description(
    'hand a task to a Claude session: an existing one (--to) or a new one in --cwd (default: here)',
  )
  .argument('<text>', 'the instructions')
  .option('--to <session>', 'an existing Claude session (id, id prefix or name)')
  .option('--cwd <dir>', 'start a new Claude session in this directory')
  .option('--title <title>', 'a short title for the task list')
  .option('--worktree [branch]', 'the new session works in a git worktree, on a new branch (or BRANCH)')
  .option(
    '--wait <seconds>',
    'wait up to this long for the result (exit 0 done, 1 other outcome, 2 still open)',
    integer('--wait', 1, 3600),
  )
  .option('--json', 'print the task as JSON')
  .action(
    withHub(
      async (
        client,
        text: string,
        options: { to?: string; cwd?: string; title?: string; wait?: number; json?: boolean },
      ) => {
        await runDelegate(client, text, options);
      },
    ),
  );

program
  .command('tasks')
  .description('list tasks, both directions, with status')
  .option('--json', 'print JSON (with --watch: one JSON task per line)')
  .option('--watch', 'keep printing task changes until Ctrl-C')
  .action(
    withHub(async (client, options: { json?: boolean; watch?: boolean }) => {
      await runTasks(client, options);
    }),
  );

program
  .command('task')
  .description('one task in full: instructions, status, result')
  .argument('<id>', 'task id or unique id prefix')
  .option('--json', 'print JSON')
  .action(
    withHub(async (client, id: string, options: { json?: boolean }) => {
      const { task } = await client.expect('task.result', { type: 'task.get', task: id });
      if (options.json) {
        const { tasks } = await client.expect('task.list.result', { type: 'task.list' });
        printJson(withBranchUsage([task], tasks)[0]);
      } else process.stdout.write(taskDetail(task));
    }),
  );

program
  .command('cancel')
  .description('cancel a task and every task delegated from it')
  .argument('<id>', 'task id or unique id prefix')
  .action(
    withHub(async (client, id: string) => {
      const { task } = await client.expect('task.result', { type: 'task.cancel', task: id });
      process.stdout.write(`Task ${task.id}: ${task.status}.\n`);
    }),
  );

program
  .command('mcp')
  .description(
    'a stdio MCP server forwarding to the running hub (claude mcp add switchboard -- switchboard mcp)',
  )
  .action(async () => {
    try {
      const { runMcpProxy } = await import('./mcpProxy.js'); // the MCP SDK loads only for `mcp`
      await runMcpProxy(findHub());
    } catch (error) {
      reportError(error, false);
    }
  });

program
  .command('merge')
  .description("bring a finished task's worktree back: merge (default), rebase, or discard it")
  .argument('<task>', 'task id or unique id prefix')
  .addOption(
    new Option('--rebase', 'rebase the branch onto the current branch, then fast-forward').conflicts(
      'discard',
    ),
  )
  .option('--discard', 'delete the worktree and its branch (refuses uncommitted work without --force)')
  .option('--force', 'discard uncommitted work, or merge a task that is still open')
  .option('--json', 'print JSON')
  .action(
    withHub(
      async (
        client,
        task: string,
        options: { rebase?: boolean; discard?: boolean; force?: boolean; json?: boolean },
      ) => {
        const mode = options.discard ? 'discard' : options.rebase ? 'rebase' : 'merge';
        const result = await client.expect('worktree.merge.result', {
          type: 'worktree.merge',
          task,
          mode,
          force: options.force === true,
        });
        if (options.json) printJson(result);
        else
          process.stdout.write(
            `${result.message}\n${result.conflicts.map((file) => `  conflict: ${file}\n`).join('')}`,
          );
        if (result.outcome === 'conflict') process.exitCode = 1;
      },
    ),
  );

registerRouteCommands(program);
registerSessionCommands(program);
registerInviteCommands(program);
registerInboxCommands(program);
registerWorkerCommands(program);

// Not awaited at the top: the CLI bundle is a CommonJS script (V8's code cache takes scripts, not ES modules:
// bin/switchboard), where top-level await does not exist. Every action reports its own errors.
void program.parseAsync(process.argv);
