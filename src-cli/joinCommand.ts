// `switchboard join LINK`: attach this terminal to a session of someone else's hub with the invite link
// they sent. Over TLS with the certificate pinned from the link; keeps no state in this user's hub
// directory (it never reads or writes it).
import { HubError, parseInviteLink } from '../src-protocol/index.js';
import type { HubClient } from '../src-protocol/index.js';
import { runAttach } from './attachCommand.js';
import { connectHub } from './connect.js';

/** ms: a join waits this long at most for `auth` (an invite made with --approve waits for the owner). */
const JOIN_AUTH_TIMEOUT_MS = 135_000;
/** ms: after this long without an answer the joiner is told it waits for the owner's approval. */
const APPROVAL_NOTICE_MS = 1_500;

async function chooseSession(client: HubClient, wanted: string | undefined) {
  const sessions = await client.listSessions();
  const scope = client.self?.session;
  const reference = scope ?? wanted;
  if (!reference) {
    const live = sessions.filter((session) => session.status !== 'ended');
    throw new HubError(
      'invalid_message',
      live.length === 0
        ? 'This invite reaches every session of the hub, but none is running.'
        : `This invite reaches every session; pick one with --session NAME: ${live.map((session) => session.name).join(', ')}.`,
    );
  }
  const target = sessions.find(
    (session) => session.id === reference || session.name === reference || session.id.startsWith(reference),
  );
  if (!target)
    throw new HubError('unknown_session', `No session "${reference}" among those this invite reaches.`);
  if (target.status === 'ended')
    throw new HubError(
      'session_ended',
      `Session ${target.name} has ended: there is nothing to join. Ask the hub's owner for a new invite.`,
    );
  return target;
}

export async function runJoin(
  link: string,
  options: { observe?: boolean; session?: string },
): Promise<number> {
  const invite = parseInviteLink(link);
  const notice = setTimeout(
    () =>
      process.stderr.write(
        "switchboard: waiting for the hub's owner to approve this join (up to 2 minutes)…\n",
      ),
    APPROVAL_NOTICE_MS,
  );
  let client: HubClient | undefined;
  try {
    client = await connectHub(
      { url: invite.origin, token: invite.token },
      {
        clientName: 'join',
        requestTimeoutMs: JOIN_AUTH_TIMEOUT_MS,
        ...(invite.fingerprint ? { fingerprint: invite.fingerprint } : {}),
      },
    );
    clearTimeout(notice);
    const target = await chooseSession(client, options.session);
    const observe = options.observe === true || client.self?.role === 'observer';
    if (!process.stdin.isTTY)
      process.stderr.write('switchboard: stdin is not a terminal; input is sent as it arrives.\n');
    return await runAttach(client, target.id, observe);
  } catch (error) {
    clearTimeout(notice);
    client?.close();
    if (error instanceof HubError && error.code === 'unauthorized')
      throw new HubError(
        'unauthorized',
        'The hub refused this invite: it has expired, been revoked, or was copied wrong. Ask its owner for a new link.',
      );
    throw error;
  }
}
