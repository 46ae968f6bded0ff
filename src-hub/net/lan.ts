// `switchboard hub --lan`: a second listener, TLS only, on a chosen address. It serves the web UI, the
// login API and /ws (never /hooks or /mcp) and admits invites only (listeners.ts).
import { networkInterfaces } from 'node:os';
import { HubError } from '../../src-protocol/index.js';
import { loadCertificate } from './certificate.js';
import type { HubContext, LanEndpoint } from './context.js';
import { startServer, type HttpRoutes, type RunningServer } from './server.js';

/** The LAN listener's default port, next to the loopback listener's 7317. */
export const DEFAULT_LAN_PORT = 7318;

export interface LanOptions {
  /** The address to bind; default: this machine's first non-loopback IPv4 address. Never implied 0.0.0.0. */
  bind?: string;
  port?: number;
  certFile?: string;
  keyFile?: string;
}

export interface LanListener extends LanEndpoint {
  server: RunningServer;
}

/** This machine's first non-internal IPv4 address: where a colleague on the same network reaches it. */
export function defaultLanAddress(interfaces = networkInterfaces()): string {
  for (const entries of Object.values(interfaces))
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  throw new HubError(
    'not_allowed',
    'This machine has no network address besides loopback; pass --bind ADDR for the LAN listener.',
  );
}

export async function startLanListener(
  context: HubContext,
  stateDir: string,
  options: LanOptions,
  routes: HttpRoutes,
): Promise<LanListener> {
  const material = await loadCertificate(stateDir, { certFile: options.certFile, keyFile: options.keyFile });
  const host = options.bind ?? defaultLanAddress();
  if (['0.0.0.0', '::'].includes(host))
    throw new HubError(
      'not_allowed',
      `--bind ${host} would listen on every network; name one address (this machine's on that network).`,
    );
  const server = await startServer(
    context,
    { host, port: options.port ?? DEFAULT_LAN_PORT, tls: { cert: material.cert, key: material.key } },
    routes,
  );
  const lan = { url: server.url, fingerprint: material.fingerprint };
  context.listeners.lan = lan;
  context.logger.event('lan.listening', lan);
  return { ...lan, server };
}

/**
 * Starts and stops the LAN listener while the hub runs: at `listen` for `--lan`, and from the owner's Share
 * dialog (`lan.set`). Stopping closes every connection that came through it.
 */
export class LanController {
  private listener: LanListener | undefined;
  private options: LanOptions = {};

  constructor(
    private readonly context: HubContext,
    private readonly stateDir: string,
    private readonly routes: HttpRoutes,
  ) {}

  get endpoint(): LanEndpoint | undefined {
    return this.listener && { url: this.listener.url, fingerprint: this.listener.fingerprint };
  }

  /** Starts it with these options, or the last ones; a running listener is restarted with new ones. */
  async start(options?: LanOptions): Promise<LanEndpoint> {
    if (this.listener && !options) return this.endpoint!;
    await this.stop();
    this.options = { ...this.options, ...options };
    try {
      this.listener = await startLanListener(this.context, this.stateDir, this.options, this.routes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL')
        throw new HubError(
          'not_allowed',
          code === 'EADDRINUSE'
            ? `The LAN port ${this.options.port ?? DEFAULT_LAN_PORT} is in use; choose another.`
            : `No network interface here has the address ${this.options.bind ?? ''}; choose one of this machine's.`,
        );
      throw error;
    }
    return this.endpoint!;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    this.context.listeners.lan = undefined;
    await listener.server.close();
    this.context.logger.event('lan.stopped', { url: listener.url });
  }
}
