// `switchboard rename | restart | duplicate`: the owner's actions on one session (issue 13).
import type { Command } from 'commander';
import type { SessionInfo } from '../src-protocol/index.js';
import { sessionName, withHub } from './hubAction.js';
import { printJson } from './output.js';

const short = (id: string) => id.slice(0, 8);

/** One line saying what became of the session: its name, id and status. */
const said = (what: string, session: SessionInfo) =>
  process.stdout.write(`${what} ${session.name} (${short(session.id)}): ${session.status}.\n`);

export function registerSessionCommands(program: Command): void {
  program
    .command('rename')
    .description('give a session another name')
    .argument('<session>', 'session id, id prefix or name')
    .argument('<name>', 'the new name', sessionName)
    .option('--json', 'print the session as JSON')
    .addHelpText('after', '\nExample: switchboard rename claude-1 api-tests')
    .action(
      withHub(async (client, session: string, name: string, options: { json?: boolean }) => {
        const renamed = await client.renameSession(session, name);
        if (options.json) return printJson(renamed);
        said('Renamed to', renamed);
      }),
    );

  program
    .command('restart')
    .description(
      'start an ended session again: same id, name, directory and command (a Claude session resumes its conversation)',
    )
    .argument('<session>', 'session id, id prefix or name')
    .option('--json', 'print the session as JSON')
    .addHelpText(
      'after',
      '\nA running session is refused (session_running): `switchboard kill SESSION` first, or\n' +
        '`switchboard duplicate SESSION` to run another like it. Workers are not restarted.',
    )
    .action(
      withHub(async (client, session: string, options: { json?: boolean }) => {
        const restarted = await client.restartSession(session);
        if (options.json) return printJson(restarted);
        said('Restarted', restarted);
      }),
    );

  program
    .command('duplicate')
    .description(
      'start a new session like this one: same command and directory (a new worktree if it had one)',
    )
    .argument('<session>', 'session id, id prefix or name')
    .option('--name <name>', 'its name (default: the name with the next free -N, e.g. api-2)', sessionName)
    .option('--json', 'print the new session as JSON')
    .action(
      withHub(async (client, session: string, options: { name?: string; json?: boolean }) => {
        const copy = await client.duplicateSession(session, options.name);
        if (options.json) return printJson(copy);
        said('Started', copy);
      }),
    );
}
