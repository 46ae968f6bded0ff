// Sharing from the command line: `invite` (a link), `invites`, `revoke`, `approve-join`, `kick`, and
// `join` for the invitee (issue 10).
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { InviteInfo } from '../src-protocol/index.js';
import { withHub } from './hubAction.js';
import { runJoin } from './joinCommand.js';
import { printJson, reportError, table } from './output.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_SECONDS = 7 * 86_400;

/** `90`, `90s`, `30m`, `2h`, `7d` → seconds, from 10 s to 7 days. */
export function parseDuration(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNITS[(match[2] || 's').toLowerCase()]! : NaN;
  if (!Number.isInteger(seconds) || seconds < 10 || seconds > MAX_TTL_SECONDS)
    throw new InvalidArgumentError('--ttl must be a duration from 10s to 7d, such as 90s, 30m, 2h or 1d.');
  return seconds;
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function inviteTable(invites: InviteInfo[]): string {
  if (invites.length === 0) return 'No live invites. Make one with `switchboard invite`.\n';
  return table([
    ['ID', 'NAME', 'ROLE', 'SCOPE', 'EXPIRES', 'USES', 'CONNECTED'],
    ...invites.map((invite) => [
      invite.id,
      invite.name + (invite.approve ? ' (asks)' : ''),
      invite.role,
      invite.session ? invite.session.slice(0, 8) : 'all sessions',
      when(invite.expiresAt),
      String(invite.uses),
      invite.clients.length === 0 ? '-' : invite.clients.map((client) => client.address).join(', '),
    ]),
  ]);
}

interface InviteOptions {
  role: 'observer' | 'driver';
  session?: string;
  name?: string;
  ttl: number;
  approve?: boolean;
  json?: boolean;
}

export function registerInviteCommands(program: Command): void {
  program
    .command('invite')
    .description('make an invite link for someone to watch or co-drive (shown once)')
    .addOption(
      new Option('--role <role>', 'what the invitee may do')
        .choices(['observer', 'driver'])
        .default('observer'),
    )
    .option('--session <session>', 'limit the invite to one session')
    .option('--name <name>', 'who it is for: shown in presence, on the lease and in the audit trail')
    .option('--ttl <duration>', 'how long it is valid: 90s, 30m, 2h, 1d (at most 7d)', parseDuration, 3600)
    .option('--approve', 'ask me before each join (switchboard approve-join)')
    .option('--json', 'print {id, link, token, role, session, name, expires}')
    .action(
      withHub(async (client, options: InviteOptions) => {
        const invite = await client.createInvite(options.role, {
          ttlSeconds: options.ttl,
          ...(options.session ? { session: options.session } : {}),
          ...(options.name ? { name: options.name } : {}),
          ...(options.approve ? { approve: true } : {}),
        });
        // The real boundary (docs/security.md): typing into a shell, or asking Claude to run a command,
        // does whatever this user may do, such as reading hub.json. Said on stderr, so --json stays clean.
        if (invite.role === 'driver')
          process.stderr.write(
            `warning: this driver invite can type into ${options.session ? `session ${options.session}` : 'every session'}; ` +
              "in a shell (or through Claude) that is anything this user's rights allow, such as reading the owner " +
              'token in hub.json. Give it only to someone you would trust with your account.\n',
          );
        if (options.json)
          return printJson({
            id: invite.id,
            link: invite.link,
            token: invite.token,
            role: invite.role,
            session: invite.session ?? null,
            name: invite.name,
            expires: invite.expiresAt,
          });
        const how = invite.lan
          ? `Send it to ${invite.name}: they open it in a browser, or run \`switchboard join '<link>'\`; ` +
            `it works until ${when(invite.expiresAt)}${invite.approve ? ', and each join waits for your approval' : ''}.`
          : 'This link works only on this machine: the hub is not listening on the network. To share it, restart ' +
            'the hub with `switchboard hub --lan` (--bind ADDR picks the address) and make a new invite.';
        process.stdout.write(
          `${invite.link}\n\n${invite.role === 'observer' ? 'An' : 'A'} ${invite.role} invite (id ${invite.id}). ${how}\n`,
        );
      }),
    );

  program
    .command('invites')
    .description('list live invites: id, name, role, scope, expiry, uses, who is connected; joins waiting')
    .option('--json', 'print JSON')
    .action(
      withHub(async (client, options: { json?: boolean }) => {
        const { invites, joinRequests } = await client.listInvites();
        if (options.json) return printJson({ invites, joinRequests });
        process.stdout.write(inviteTable(invites));
        for (const request of joinRequests)
          process.stdout.write(
            `waiting: ${request.id} ${request.name} (${request.role}) from ${request.address}: ` +
              `switchboard approve-join ${request.id}\n`,
          );
      }),
    );

  program
    .command('revoke')
    .description('revoke an invite and disconnect everyone who joined with it')
    .argument('<id>', 'the invite id (switchboard invites)')
    .action(
      withHub(async (client, id: string) => {
        const { disconnected } = await client.revokeInvite(id);
        process.stdout.write(
          `Revoked invite ${id}; ${disconnected} client${disconnected === 1 ? '' : 's'} disconnected.\n`,
        );
      }),
    );

  program
    .command('approve-join')
    .description('let a waiting join in (or refuse it with --refuse)')
    .argument('<id>', 'the join request id, or an invite id (its oldest waiting join)')
    .option('--refuse', 'refuse it instead')
    .action(
      withHub(async (client, id: string, options: { refuse?: boolean }) => {
        await client.decideJoin(id, options.refuse !== true);
        process.stdout.write(options.refuse ? `Refused ${id}.\n` : `Approved ${id}.\n`);
      }),
    );

  program
    .command('kick')
    .description('disconnect a client (its id from presence or `switchboard invites`)')
    .argument('<client>', 'the client id (c-…)')
    .action(
      withHub(async (client, clientId: string) => {
        await client.kick(clientId);
        process.stdout.write(`Disconnected ${clientId}.\n`);
      }),
    );

  program
    .command('join')
    .description("attach this terminal to a session of someone else's hub, with the invite link they sent")
    .argument('<link>', 'the link: https://ADDR:PORT/ui/#invite=TOKEN&fp=FINGERPRINT')
    .option('--observe', 'watch only, even with a driver invite')
    .option('--session <session>', 'with an invite for every session: the one to join')
    .action(async (link: string, options: { observe?: boolean; session?: string }) => {
      try {
        process.exitCode = await runJoin(link, options);
      } catch (error) {
        reportError(error, false);
      }
    });
}
