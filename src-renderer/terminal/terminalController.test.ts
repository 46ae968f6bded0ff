// The terminal controller's lifecycle with fakes: attach protocol (snapshot, offsets, ack after parse,
// resync), input gating, resize policy, and WebGL leased for visible panes and released when hidden.
import { describe, expect, it, vi } from 'vitest';
import type { HubMessage } from '../../src-protocol/index.js';
import { HubClient } from '../../src-protocol/hubClient.js';
import { HubError } from '../../src-protocol/errors.js';
import { linkedTransports } from '../../src-protocol/transport.js';
import {
  TerminalController,
  typeInto,
  type ControllerDeps,
  type TerminalLike,
  type WebglLike,
} from './terminalController.js';
import { WebglPool } from './webglPool.js';

class FakeTerminal implements TerminalLike {
  cols = 80;
  rows = 24;
  element: { parentElement: unknown } | undefined;
  written: string[] = [];
  /** Parse callbacks held back until `parse()`, as xterm runs them after parsing. */
  pending: Array<() => void> = [];
  resets = 0;
  disposed = false;
  addons: WebglLike[] = [];
  private dataListener: ((data: string) => void) | undefined;
  open(parent: HTMLElement) {
    this.element = { parentElement: parent };
  }
  write(data: string, callback?: () => void) {
    if (data) this.written.push(data);
    if (callback) this.pending.push(callback);
  }
  parse() {
    for (const callback of this.pending.splice(0)) callback();
  }
  reset() {
    this.resets++;
    this.written = [];
  }
  resize(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
  }
  focus() {}
  dispose() {
    this.disposed = true;
  }
  loadAddon(addon: WebglLike) {
    this.addons.push(addon);
  }
  onData(listener: (data: string) => void) {
    this.dataListener = listener;
    return { dispose: () => (this.dataListener = undefined) };
  }
  type(data: string) {
    this.dataListener?.(data);
  }
}

class FakeWebgl implements WebglLike {
  disposed = false;
  lose: (() => void) | undefined;
  activate() {}
  dispose() {
    this.disposed = true;
  }
  onContextLoss(listener: () => void) {
    this.lose = listener;
    return { dispose: () => undefined };
  }
}

function setup(
  options: {
    gate?: ControllerDeps['gate'];
    maySize?: boolean | (() => boolean);
    pool?: WebglPool;
    webgl?: () => WebglLike;
    type?: (session: string, data: string) => void;
  } = {},
) {
  const terminal = new FakeTerminal();
  const hub = {
    attach: vi.fn(async () => undefined),
    detach: vi.fn(async () => undefined),
    type: vi.fn(options.type ?? ((_session: string, _data: string): void => undefined)),
    resize: vi.fn(async () => undefined),
    ack: vi.fn(),
  };
  const hints: string[] = [];
  const statuses: string[] = [];
  const webgls: FakeWebgl[] = [];
  const pool = options.pool ?? new WebglPool(2);
  const controller = new TerminalController({
    session: 's1',
    hub,
    pool,
    createTerminal: () => ({
      terminal,
      proposeSize: () => ({ cols: 120, rows: 40 }),
      find: () => true,
      selection: () => '',
      paste: (text: string) => terminal.type(text), // xterm types a paste as input
    }),
    createWebgl:
      options.webgl ??
      (() => {
        const addon = new FakeWebgl();
        webgls.push(addon);
        return addon;
      }),
    webglEnabled: () => true,
    gate: options.gate ?? (() => ({ allowed: true })),
    maySize: () => (typeof options.maySize === 'function' ? options.maySize() : (options.maySize ?? true)),
    onHint: (hint) => hints.push(hint),
    onStatus: (status) => statuses.push(status),
  });
  return { controller, terminal, hub, hints, statuses, webgls, pool };
}

const snapshot = (
  offset: number,
  data: string,
  role: 'owner' | 'observer' | 'driver' = 'owner',
): HubMessage => ({
  type: 'pty.snapshot',
  session: 's1',
  role,
  offset,
  cols: 80,
  rows: 24,
  data,
});
const output = (offset: number, data: string): HubMessage => ({
  type: 'pty.output',
  session: 's1',
  offset,
  data,
});
const parent = {} as HTMLElement;

const shown = (options: Parameters<typeof setup>[0] = {}) => {
  const parts = setup(options);
  parts.controller.setVisible(true);
  return parts;
};

describe('TerminalController stream', () => {
  it('writes the snapshot, then output in offset order, and acks only after xterm parsed it', () => {
    const { controller, terminal, hub } = shown();
    controller.handle(snapshot(10, 'SCREEN'));
    controller.handle(output(10, 'abc'));
    expect(terminal.written).toEqual(['SCREEN', 'abc']);
    expect(hub.ack).not.toHaveBeenCalled();
    terminal.parse();
    expect(hub.ack).toHaveBeenCalledWith('s1', 3);
  });

  it('drops output the snapshot already covers and output that arrives before any snapshot', () => {
    const { controller, terminal } = shown();
    controller.handle(output(0, 'early'));
    controller.handle(snapshot(5, 'S'));
    controller.handle(output(0, 'old'));
    controller.handle(output(5, 'new'));
    expect(terminal.written).toEqual(['S', 'new']);
  });

  it('after a resync, the next snapshot resets the terminal and live output resumes from its offset', () => {
    const { controller, terminal, statuses } = shown();
    controller.handle(snapshot(0, 'A'));
    controller.handle(output(0, 'xx'));
    controller.handle({ type: 'pty.resync', session: 's1', reason: 'credit_exhausted' });
    expect(statuses).toContain('resync');
    controller.handle(snapshot(50, 'B'));
    expect(terminal.resets).toBe(2);
    controller.handle(output(50, 'yy'));
    expect(terminal.written).toEqual(['B', 'yy']);
    expect(statuses.at(-1)).toBe('live');
  });

  it('applies a resize in stream order', () => {
    const { controller, terminal } = shown();
    controller.handle(snapshot(0, ''));
    controller.handle({ type: 'pty.resized', session: 's1', offset: 0, cols: 100, rows: 30 });
    expect(terminal.cols).toBe(80);
    terminal.parse();
    expect([terminal.cols, terminal.rows]).toEqual([100, 30]);
  });
});

describe('TerminalController hidden panes', () => {
  it('buffers output while hidden (acking at once) and replays it, resizes in order, when shown', () => {
    const { controller, terminal, hub } = setup();
    controller.handle(snapshot(0, 'S'));
    controller.handle(output(0, 'one '));
    controller.handle({ type: 'pty.resized', session: 's1', offset: 4, cols: 90, rows: 20 });
    controller.handle(output(4, 'two'));
    expect(terminal.written).toEqual(['S']);
    expect(hub.ack.mock.calls).toEqual([
      ['s1', 4],
      ['s1', 3],
    ]);
    controller.setVisible(true);
    expect(terminal.written).toEqual(['S', 'one ', 'two']);
    terminal.parse();
    expect([terminal.cols, terminal.rows]).toEqual([90, 20]);
  });

  it('attaches again for a fresh snapshot when a hidden pane missed more than it keeps', async () => {
    const { controller, terminal, hub } = setup();
    await controller.attach('observe');
    controller.handle(snapshot(0, 'S', 'observer'));
    const chunk = 'x'.repeat(64 * 1024);
    for (let index = 0; index < 5; index++) controller.handle(output(index * chunk.length, chunk));
    controller.setVisible(true);
    expect(terminal.written).toEqual(['S']);
    expect(hub.attach).toHaveBeenLastCalledWith('s1', 'observe');
    expect(hub.attach).toHaveBeenCalledTimes(2);
  });
});

describe('TerminalController input and size', () => {
  it("blocks an observer's keystrokes with a visible hint and sends nothing", () => {
    const { controller, terminal, hub, hints } = setup({
      gate: () => ({ allowed: false, hint: 'You are observing' }),
    });
    controller.handle(snapshot(0, '', 'observer'));
    terminal.type('ls\r');
    expect(hub.type).not.toHaveBeenCalled();
    expect(hints).toEqual(['You are observing']);
  });

  it("sends a driver's keystrokes", () => {
    const { controller, terminal, hub } = setup();
    controller.handle(snapshot(0, ''));
    terminal.type('ls\r');
    expect(hub.type).toHaveBeenCalledWith('s1', 'ls\r');
  });

  it('shows a refusal the hub sent for a keystroke on the pane, as a blocked key shows; not once disposed', () => {
    const { controller, terminal, hints } = setup();
    controller.handle(snapshot(0, '', 'driver'));
    terminal.type('x');
    expect(hints).toEqual([]);
    controller.refused(new HubError('lease_held', 'Ada holds the input lease.'));
    expect(hints).toEqual(['Ada holds the input lease.']);
    controller.dispose();
    controller.refused(new HubError('session_ended', 'The session has ended.'));
    expect(hints).toEqual(['Ada holds the input lease.']);
  });

  it('types over a HubClient without an id, shows the refusal naming its session, and an unreachable hub', async () => {
    const [hubSide, clientSide] = linkedTransports();
    const frames: Array<Record<string, unknown>> = [];
    hubSide.onMessage((frame) => frames.push(JSON.parse(frame) as Record<string, unknown>));
    const client = new HubClient(clientSide);
    const { controller, terminal, hints } = setup({
      type: (session, data) => typeInto(client, session, data),
    });
    client.onRefusal((session, error) => session === 's1' && controller.refused(error));
    controller.handle(snapshot(0, '', 'driver'));
    terminal.type('ls\r');
    await Promise.resolve();
    expect(frames).toEqual([{ type: 'pty.input', session: 's1', data: 'ls\r' }]);
    const refuse = (session: string, code: string, message: string) =>
      hubSide.send(JSON.stringify({ type: 'error', code, message, session }));
    refuse('s2', 'not_allowed', 'Another pane.');
    refuse('s1', 'not_allowed', 'Observers cannot type into it.');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(hints).toEqual(['Observers cannot type into it.']);
    hubSide.close();
    expect(() => terminal.type('y')).not.toThrow();
    expect(hints.at(-1)).toBe('Connection to the hub is closed (peer closed).');
    expect(frames).toHaveLength(1);
  });

  it('pastes through the same gate as typing: a driver sends it, an observer gets the hint', () => {
    const driver = setup();
    driver.controller.handle(snapshot(0, ''));
    driver.controller.paste('echo pasted\n');
    expect(driver.hub.type).toHaveBeenCalledWith('s1', 'echo pasted\n');
    const observer = setup({ gate: () => ({ allowed: false, hint: 'You are observing' }) });
    observer.controller.handle(snapshot(0, '', 'observer'));
    observer.controller.paste('rm -rf /tmp/x\n');
    expect(observer.hub.type).not.toHaveBeenCalled();
    expect(observer.hints).toEqual(['You are observing']);
  });

  it('sizes the session to the pane for the owner and the lease holder, never for an observer or a hidden pane', () => {
    const owner = setup();
    owner.controller.handle(snapshot(0, ''));
    expect(owner.hub.resize).not.toHaveBeenCalled(); // hidden
    owner.controller.setVisible(true);
    expect(owner.hub.resize).toHaveBeenCalledWith('s1', 120, 40);

    const observer = setup();
    observer.controller.setVisible(true);
    observer.controller.handle(snapshot(0, '', 'observer'));
    observer.controller.fit();
    expect(observer.hub.resize).not.toHaveBeenCalled();

    const leaseHolder = setup({ maySize: true });
    leaseHolder.controller.setVisible(true);
    leaseHolder.controller.handle(snapshot(0, '', 'driver'));
    expect(leaseHolder.hub.resize).toHaveBeenCalledWith('s1', 120, 40);
  });

  it('a driver without the lease sends its size once as a wish, and sizes the session when it gains the lease', () => {
    let holds = false;
    const driver = setup({ maySize: () => holds });
    driver.controller.setVisible(true);
    driver.controller.handle(snapshot(0, '', 'driver'));
    // The hub keeps it (answering not_allowed) for when the driver whose size holds leaves.
    expect(driver.hub.resize.mock.calls).toEqual([['s1', 120, 40]]);
    driver.controller.fit();
    driver.controller.sizingChanged(); // someone else's lease change: nothing new to say
    expect(driver.hub.resize).toHaveBeenCalledTimes(1);
    holds = true;
    driver.controller.sizingChanged(); // lease.changed: this client holds it now
    expect(driver.hub.resize.mock.calls).toEqual([
      ['s1', 120, 40],
      ['s1', 120, 40],
    ]);
    driver.controller.sizingChanged();
    expect(driver.hub.resize).toHaveBeenCalledTimes(2); // the session has its size now
    // A new attachment (the hub forgot the wish): the wish goes again.
    holds = false;
    driver.controller.handle(snapshot(0, '', 'driver'));
    expect(driver.hub.resize).toHaveBeenCalledTimes(3);
  });
});

describe('TerminalController WebGL lease', () => {
  it('takes a WebGL context when visible and mounted, releases and disposes it when hidden', () => {
    const { controller, webgls, pool, terminal } = setup();
    controller.mount(parent);
    expect(pool.active).toBe(0);
    controller.setVisible(true);
    expect(controller.usesWebgl).toBe(true);
    expect(terminal.addons).toHaveLength(1);
    expect(pool.active).toBe(1);
    controller.setVisible(false);
    expect(controller.usesWebgl).toBe(false);
    expect(webgls[0]!.disposed).toBe(true);
    expect(pool.active).toBe(0);
  });

  it('falls back to the DOM renderer when the pool is full', () => {
    const pool = new WebglPool(1);
    const first = setup({ pool });
    const second = setup({ pool });
    for (const { controller } of [first, second]) {
      controller.mount(parent);
      controller.setVisible(true);
    }
    expect(first.controller.usesWebgl).toBe(true);
    expect(second.controller.usesWebgl).toBe(false);
    first.controller.setVisible(false);
    second.controller.syncRenderer();
    expect(second.controller.usesWebgl).toBe(true);
  });

  it('falls back to the DOM renderer when WebGL cannot start, and gives the slot back', () => {
    const { controller, pool } = setup({
      webgl: () => {
        throw new Error('no WebGL2');
      },
    });
    controller.mount(parent);
    controller.setVisible(true);
    expect(controller.usesWebgl).toBe(false);
    expect(pool.active).toBe(0);
  });

  it('releases the context when the GPU loses it', () => {
    const { controller, webgls, pool } = setup();
    controller.mount(parent);
    controller.setVisible(true);
    webgls[0]!.lose!();
    expect(controller.usesWebgl).toBe(false);
    expect(pool.active).toBe(0);
  });

  it('dispose detaches, releases WebGL and disposes the terminal', () => {
    const { controller, hub, pool, terminal } = setup();
    controller.mount(parent);
    controller.setVisible(true);
    controller.dispose();
    expect(hub.detach).toHaveBeenCalledWith('s1');
    expect(pool.active).toBe(0);
    expect(terminal.disposed).toBe(true);
    controller.handle(output(0, 'late'));
    expect(terminal.written).toEqual([]);
  });
});
