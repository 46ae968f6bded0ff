// `switchboard hub`: a foreground hub with its URL printed and hub.json written; Ctrl-C stops it cleanly.
import { createHub, defaultStateDir, isHubAlive, readHubFile } from '../src-hub/index.js';
import { HubError } from '../src-protocol/index.js';
import { loginMessage, openInBrowser } from './openCommand.js';

export interface HubOptions {
  port: number;
  host: string;
  open?: boolean;
  maxSessions?: number;
  lan?: boolean;
  bind?: string;
  lanPort: number;
  cert?: string;
  key?: string;
}

export async function runHub(options: HubOptions): Promise<void> {
  const stateDir = defaultStateDir();
  const running = readHubFile(stateDir);
  // A hub.json whose process is gone, a zombie (just SIGKILLed), or another process now is no hub (issue 16).
  if (running && running.pid !== process.pid && isHubAlive(running)) {
    throw new HubError(
      'not_allowed',
      `A hub is already running at ${running.url} (pid ${running.pid}) for ${stateDir}.`,
    );
  }
  const hub = createHub({
    stateDir,
    ...(options.maxSessions ? { limits: { maxLiveSessions: options.maxSessions } } : {}),
  });
  let url: string;
  try {
    url = await hub.listen({
      host: options.host,
      port: options.port,
      ...(options.lan
        ? {
            lan: {
              port: options.lanPort,
              ...(options.bind ? { bind: options.bind } : {}),
              ...(options.cert ? { certFile: options.cert } : {}),
              ...(options.key ? { keyFile: options.key } : {}),
            },
          }
        : {}),
    });
  } catch (error) {
    await hub.close().catch(() => undefined);
    throw listenError(error, options);
  }
  process.stdout.write(`Switchboard hub listening on ${url}\nstate: ${stateDir}\n`);
  if (hub.lan) {
    process.stdout.write(
      `LAN: ${hub.lan.url} (TLS; certificate fingerprint ${hub.lan.fingerprint})\n` +
        'Invitees join with the link from `switchboard invite`; the owner token is not accepted there.\n',
    );
    await printJoinRequests(hub);
  }
  // Sessions running now were started by listen(): Claude sessions resumed from the last run.
  const resumed = hub.registry.list().filter((session) => !session.isEnded);
  if (resumed.length > 0)
    process.stdout.write(
      `back from the last run: ${resumed.map((session) => session.name).join(', ')} (switchboard ls)\n`,
    );
  for (const worker of hub.workers.unreachable)
    process.stderr.write(
      `warning: worker ${worker.name} (container ${worker.container}) from the last run calls ${worker.url}, ` +
        `not this hub (${url}), so it was not taken back. Stop this hub and start it with --port ` +
        `${new URL(worker.url).port} to take it back, or remove it: docker rm -f ${worker.container}\n`,
    );
  if (options.open) {
    const login = new URL(hub.createLoginPath(), url).toString();
    process.stdout.write(
      `\nWeb UI: ${loginMessage(login, new Date(Date.now() + 60_000).toISOString(), openInBrowser(login))}`,
    );
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
    process.stderr.write(
      `warning: listening on ${options.host} without encryption. Only this machine may use invites there; ` +
        'to share with others on your network, use --lan (TLS) instead.\n',
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the hub and its sessions…\n`);
    void hub.close().then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
}

function listenError(error: unknown, options: HubOptions): unknown {
  const failure = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (failure.code === 'EADDRINUSE')
    return new HubError(
      'not_allowed',
      failure.port === options.port
        ? `Port ${options.port} is in use; pass --port N (or --port 0 for any free port).`
        : `LAN port ${failure.port ?? options.lanPort} is in use; pass --lan-port N.`,
    );
  if (failure.code === 'EADDRNOTAVAIL')
    return new HubError(
      'not_allowed',
      `No network interface here has the address ${failure.address ?? options.bind ?? ''}; pass --bind with one of this machine's addresses.`,
    );
  return error;
}

/** Joins waiting for approval are announced here too, with the command that approves them. */
async function printJoinRequests(hub: Awaited<ReturnType<typeof createHub>>): Promise<void> {
  const watcher = await hub.connect();
  watcher.onMessage((message) => {
    if (message.type !== 'join.event' || message.kind !== 'pending') return;
    const { request } = message;
    process.stdout.write(
      `join request ${request.id}: ${request.name} (${request.role}) from ${request.address} waits for you: ` +
        `switchboard approve-join ${request.id} (or --refuse), within 2 minutes\n`,
    );
  });
}
