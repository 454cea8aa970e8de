import { describe, expect, it } from 'vitest';
import {
  type SessionShellFactory,
  TerminalHub,
  type TerminalPeer,
  type TerminalSession,
} from '../../../sandbox/server/terminals.ts';
import type { Shell } from '../../../sandbox/shell/index.ts';
import type { ServerMessage } from '../../../src/protocol/index.ts';

/** A shell that echoes input, prints a prompt, and records what it was told. */
interface FakeShell extends Shell {
  inputs: string[];
  sizes: [number, number][];
  disposed: boolean;
  print(text: string): void;
}

function fakeFactory(): {
  factory: SessionShellFactory;
  shells: FakeShell[];
  sizesAtStart: [number, number][];
} {
  const shells: FakeShell[] = [];
  const sizesAtStart: [number, number][] = [];
  const factory: SessionShellFactory = async (session, io) => {
    sizesAtStart.push([io.columns, io.rows]);
    const shell: FakeShell = {
      inputs: [],
      sizes: [],
      disposed: false,
      print: (text) => io.write(text),
      input(data) {
        this.inputs.push(data);
        io.write(data);
      },
      resize(cols, rows) {
        this.sizes.push([cols, rows]);
      },
      whenIdle: async () => {},
      dispose() {
        this.disposed = true;
      },
      cwd: session.workdir,
      lastStatus: 0,
      busy: false,
    };
    shells.push(shell);
    io.write(`${session.namespace} $ `);
    return { shell, dispose: () => shell.dispose() };
  };
  return { factory, shells, sizesAtStart };
}

class FakePeer implements TerminalPeer {
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  get output(): string {
    return this.messages.map((m) => (m.type === 'output' ? m.data : '')).join('');
  }
}

const session: TerminalSession = {
  id: 's1',
  namespace: 'rl-s1',
  workdir: '/w/s1',
  kubeconfig: '',
  kubeconfigPath: '/w/s1.kubeconfig',
};

/** A hub whose output flushes run when the test says so. */
function makeHub(options: { scrollbackBytes?: number } = {}) {
  const { factory, shells, sizesAtStart } = fakeFactory();
  const deferred: (() => void)[] = [];
  const activity: string[] = [];
  const hub = new TerminalHub({
    createShell: factory,
    defer: (fn) => deferred.push(fn),
    onActivity: (id) => activity.push(id),
    ...options,
  });
  const flush = (): void => {
    for (const fn of deferred.splice(0)) fn();
  };
  return { hub, shells, flush, activity, sizesAtStart };
}

describe('TerminalHub', () => {
  it('starts the shell on first attach and sends attached, then the scrollback (the prompt)', async () => {
    const { hub, shells } = makeHub();
    const peer = new FakePeer();
    await hub.attach(session, peer);
    expect(shells).toHaveLength(1);
    expect(peer.messages).toEqual([
      {
        type: 'status',
        state: 'attached',
        session: { id: 's1', namespace: 'rl-s1' },
        replayed: 8,
        truncated: false,
      },
      { type: 'output', data: 'rl-s1 $ ' },
    ]);
  });

  it('coalesces output written in one turn into one message', async () => {
    const { hub, shells, flush } = makeHub();
    const peer = new FakePeer();
    await hub.attach(session, peer);
    peer.messages.length = 0;
    shells[0]!.print('a');
    shells[0]!.print('b');
    shells[0]!.print('c');
    expect(peer.messages).toEqual([]);
    flush();
    expect(peer.messages).toEqual([{ type: 'output', data: 'abc' }]);
  });

  it('passes input and resize to the shell and counts input as activity', async () => {
    const { hub, shells, activity } = makeHub();
    const attachment = await hub.attach(session, new FakePeer());
    attachment.receive({ type: 'input', data: 'kubectl get rs\r' });
    attachment.receive({ type: 'resize', cols: 132, rows: 40 });
    expect(shells[0]!.inputs).toEqual(['kubectl get rs\r']);
    expect(shells[0]!.sizes).toEqual([[132, 40]]);
    expect(activity).toEqual(['s1']);
  });

  it('keeps the shell running while detached and replays what it printed on reconnect', async () => {
    const { hub, shells, flush } = makeHub();
    const first = new FakePeer();
    const attachment = await hub.attach(session, first);
    attachment.receive({ type: 'input', data: 'kubectl apply -f vweb/\r' });
    attachment.detach();
    shells[0]!.print('\r\ndeployment.apps/vweb created\r\n');
    flush();
    expect(first.output).not.toContain('created');

    const second = new FakePeer();
    await hub.attach(session, second);
    expect(shells).toHaveLength(1);
    const replay = second.messages[1];
    expect(replay).toEqual({
      type: 'output',
      data: 'rl-s1 $ kubectl apply -f vweb/\r\r\ndeployment.apps/vweb created\r\n',
    });
    expect(second.messages[0]).toMatchObject({
      state: 'attached',
      replayed: (replay as { data: string }).data.length,
    });
  });

  it('lets a second tab take over: the first is told and closed, and its messages are ignored', async () => {
    const { hub, shells, flush } = makeHub();
    const first = new FakePeer();
    const a = await hub.attach(session, first);
    const second = new FakePeer();
    const b = await hub.attach(session, second);
    expect(first.messages.at(-1)).toEqual({ type: 'status', state: 'taken-over' });
    expect(first.closed).toEqual({ code: 4001, reason: 'attached elsewhere' });
    a.receive({ type: 'input', data: 'from the old tab' });
    b.receive({ type: 'input', data: 'x' });
    expect(shells[0]!.inputs).toEqual(['x']);
    // The old socket closing later does not detach the new one.
    a.detach();
    shells[0]!.print('more');
    flush();
    expect(second.output.endsWith('xmore')).toBe(true);
    expect(first.output).not.toContain('more');
  });

  it('starts the shell at the size the client sent before the shell existed… and keeps it after a reset', async () => {
    const { hub, shells, sizesAtStart } = makeHub();
    const peer = new FakePeer();
    const attachment = await hub.attach(session, peer);
    attachment.receive({ type: 'resize', cols: 100, rows: 30 });
    await hub.reset({ ...session, workdir: '/w/s1-new' });
    expect(sizesAtStart).toEqual([
      [80, 24],
      [100, 30],
    ]);
    expect(shells[0]!.disposed).toBe(true);
    expect(shells[1]!.cwd).toBe('/w/s1-new');
  });

  it('on reset stops the old shell, clears the scrollback and sends reset then the new prompt', async () => {
    const { hub, shells, flush } = makeHub();
    const peer = new FakePeer();
    await hub.attach(session, peer);
    shells[0]!.print('old output\r\n');
    flush();
    peer.messages.length = 0;
    await hub.reset(session);
    // The old shell printing while it stops reaches nobody.
    shells[0]!.print('late output of the old shell');
    flush();
    expect(peer.messages).toEqual([
      { type: 'status', state: 'reset' },
      { type: 'output', data: 'rl-s1 $ ' },
    ]);
    const again = new FakePeer();
    await hub.attach(session, again);
    expect(again.output).toBe('rl-s1 $ ');
  });

  it('ends a terminal: the socket is told why and closed, the shell disposed, later attaches refused', async () => {
    const { hub, shells } = makeHub();
    const peer = new FakePeer();
    await hub.attach(session, peer);
    hub.end('s1', 'expired');
    expect(peer.messages.at(-1)).toEqual({ type: 'status', state: 'ended', reason: 'expired' });
    expect(peer.closed?.code).toBe(4004);
    expect(shells[0]!.disposed).toBe(true);
    expect(hub.size).toBe(0);
  });

  it('closes with 1001 at shutdown', async () => {
    const { hub } = makeHub();
    const peer = new FakePeer();
    await hub.attach(session, peer);
    await hub.attach({ ...session, id: 's2', namespace: 'rl-s2' }, new FakePeer());
    expect(hub.attachedCount).toBe(2);
    hub.endAll('shutdown');
    expect(peer.closed?.code).toBe(1001);
    expect(hub.size).toBe(0);
  });

  it('keeps only the newest output while nobody is attached', async () => {
    const { hub, shells } = makeHub({ scrollbackBytes: 64 });
    const attachment = await hub.attach(session, new FakePeer());
    attachment.detach();
    for (let i = 0; i < 50; i++) shells[0]!.print(`line ${i}\r\n`);
    const peer = new FakePeer();
    await hub.attach(session, peer);
    expect(peer.messages[0]).toMatchObject({ state: 'attached', truncated: true });
    expect(peer.output).toContain('line 49\r\n');
    expect(peer.output).not.toContain('line 1\r\n');
    expect(Buffer.byteLength(peer.output)).toBeLessThanOrEqual(64 + 8);
  });

  it('tells the socket when the shell cannot start, and tries again on the next attach', async () => {
    let fail = true;
    const { factory } = fakeFactory();
    const hub = new TerminalHub({
      createShell: async (s, io) => {
        if (fail) throw new Error('workdir missing');
        return factory(s, io);
      },
    });
    const peer = new FakePeer();
    await hub.attach(session, peer);
    expect(peer.messages[0]).toMatchObject({ type: 'error', code: 'shell-unavailable' });
    expect(peer.closed?.code).toBe(1011);
    fail = false;
    const again = new FakePeer();
    await hub.attach(session, again);
    expect(again.messages[0]).toMatchObject({ type: 'status', state: 'attached' });
  });
});
