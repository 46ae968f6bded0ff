// Two "hosts" on one machine for the LAN tests: network namespaces joined by a veth pair, with addresses
// from the documentation range 192.0.2.0/24 inside them only. Nothing here touches the machine's own
// interfaces or any other address. Needs root (CI runs as root); `unavailable()` says why not.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export const HOST_ADDRESS = '192.0.2.1';
export const GUEST_ADDRESS = '192.0.2.2';

/** Why namespaces cannot be made here, or undefined when they can (probed by making and removing one). */
export function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'making network namespaces needs root (CI runs as root)';
  const probe = `sbprobe${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  } catch (error) {
    return `\`ip netns add\` failed: ${(error as Error).message.split('\n')[0]}`;
  }
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'pipe' });
  } catch {
    return 'tcpdump is not installed (apt-get install tcpdump, as .ci/run does)';
  }
  return undefined;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', timeout: 10_000 });

export interface TwoHosts {
  /** Namespace of the hub (192.0.2.1) and of the guest (192.0.2.2). */
  host: string;
  guest: string;
  /** The guest's end of the veth pair (where the capture listens). */
  guestLink: string;
  /** Spawns `command` inside a namespace; remembered, and ended by PID at teardown. */
  spawnIn(namespace: string, command: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Ends every process started here and inside both namespaces (by PID), then removes the namespaces. */
  teardown(): void;
}

export function makeTwoHosts(): TwoHosts {
  const tag = `${process.pid % 100_000}`;
  const host = `sbhost${tag}`;
  const guest = `sbguest${tag}`;
  const hostLink = `sbv${tag}h`;
  const guestLink = `sbv${tag}g`;
  const children: ChildProcess[] = [];
  const made: string[] = [];
  const teardown = () => {
    for (const child of children) if (child.exitCode === null && child.pid) tryKill(child.pid);
    for (const namespace of made) {
      // Processes still inside our namespaces were started by this test (directly or as children).
      const pids = String(tryRun(() => ip('netns', 'pids', namespace)) ?? '')
        .split('\n')
        .filter((line) => /^\d+$/.test(line.trim()));
      for (const pid of pids) tryKill(Number(pid));
      tryRun(() => ip('netns', 'del', namespace)); // the veth end inside goes with it, and so its peer
    }
    made.length = 0;
  };
  try {
    for (const namespace of [host, guest]) {
      ip('netns', 'add', namespace);
      made.push(namespace);
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
    }
    // Created inside the host namespace, the pair never appears among the machine's own interfaces.
    ip('-n', host, 'link', 'add', hostLink, 'type', 'veth', 'peer', 'name', guestLink, 'netns', guest);
    ip('-n', host, 'addr', 'add', `${HOST_ADDRESS}/24`, 'dev', hostLink);
    ip('-n', guest, 'addr', 'add', `${GUEST_ADDRESS}/24`, 'dev', guestLink);
    ip('-n', host, 'link', 'set', hostLink, 'up');
    ip('-n', guest, 'link', 'set', guestLink, 'up');
  } catch (error) {
    teardown();
    throw error;
  }
  return {
    host,
    guest,
    guestLink,
    spawnIn(namespace, command, args, env = process.env) {
      const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      return child;
    },
    teardown,
  };
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function tryRun<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}

/** Every namespace `ip netns list` shows (to check the teardown left none of ours). */
export const namespaces = () => String(ip('netns', 'list'));
