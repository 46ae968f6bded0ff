// The invite link (`https://ADDR:PORT/ui/#invite=TOKEN&fp=FINGERPRINT`), read the same way by `switchboard
// join`, the desktop app's main process and the web UI's "Connect to a hub…". No URL class: this package
// compiles without Node or DOM types.
import { HubError } from './errors.js';

export interface InviteLink {
  /** `https://ADDR:PORT` (or `http://127.0.0.1:PORT` for a link to a hub on this machine). */
  origin: string;
  token: string;
  /** The SHA-256 of the hub's certificate (DER), 64 lowercase hex digits; none for a loopback http link. */
  fingerprint: string | undefined;
}

export const INVITE_LINK_SHAPE = 'https://ADDR:PORT/ui/#invite=TOKEN&fp=FINGERPRINT';
const LINK = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?(?:\/[^#\s]*)?#(\S*)$/i;
const isLoopbackHost = (host: string) => /^(127\.|localhost$|\[::1\]$)/.test(host);

function fragmentValues(fragment: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const pair of fragment.split('&')) {
    const at = pair.indexOf('=');
    if (at > 0) values.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return values;
}

export function parseInviteLink(link: string): InviteLink {
  const match = LINK.exec(link.trim());
  if (!match)
    throw new HubError('invalid_message', `Not an invite link; it looks like ${INVITE_LINK_SHAPE}.`);
  const [, scheme, rawHost, port, fragment] = match;
  const host = rawHost!.toLowerCase();
  const values = fragmentValues(fragment!);
  const token = values.get('invite') ?? '';
  const fingerprint = values.get('fp');
  if (!/^sbi_[\w-]{20,}$/.test(token))
    throw new HubError(
      'invalid_message',
      `The link carries no invite token; it looks like ${INVITE_LINK_SHAPE}.`,
    );
  const protocol = scheme!.toLowerCase();
  const defaultPort = protocol === 'https' ? '443' : '80';
  const origin = `${protocol}://${host}${port && port !== defaultPort ? `:${port}` : ''}`;
  if (protocol === 'https') {
    if (!fingerprint || !/^[0-9a-f]{64}$/i.test(fingerprint))
      throw new HubError(
        'invalid_message',
        'The link has no certificate fingerprint (fp=, 64 hex digits), so the hub cannot be checked. ' +
          'Copy the whole link again.',
      );
    return { origin, token, fingerprint: fingerprint.toLowerCase() };
  }
  if (isLoopbackHost(host)) return { origin, token, fingerprint: undefined };
  throw new HubError(
    'invalid_message',
    'A link to another machine must be https (with fp=…): plain http would send the token and every ' +
      'keystroke in clear. Ask the hub owner to run `switchboard hub --lan` and send a new link.',
  );
}
