/**
 * The terminal hub's part in `kubectl edit`: edit messages reach the attached socket after the
 * output written before them, and a socket that attaches later gets the open edits again.
 */
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import { EditBrokers } from '../../../sandbox/server/edit-broker.ts';
import {
  type SessionShellFactory,
  TerminalHub,
  type TerminalPeer,
  type TerminalSession,
} from '../../../sandbox/server/terminals.ts';
import type { ServerMessage } from '../../../src/protocol/index.ts';

class Peer implements TerminalPeer {
  readonly messages: ServerMessage[] = [];
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  close(): void {}
}

const session: TerminalSession = {
  id: 's1',
  namespace: 'rl-s1',
  workdir: '/w/s1',
  kubeconfig: '',
  kubeconfigPath: '/w/s1.kubeconfig',
};

function setup() {
  let write: (data: string) => void = () => {};
  const factory: SessionShellFactory = async (_session, io) => {
    write = io.write;
    io.write('$ ');
    const shell = {
      input: () => {},
      resize: () => {},
      whenIdle: async () => {},
      dispose: () => {},
      cwd: '/w/s1',
      lastStatus: 0,
      busy: false,
    };
    return { shell, dispose: () => {} };
  };
  const deferred: (() => void)[] = [];
  const edits = new EditBrokers({ clock: createManualClock(), send: (id, message) => hub.send(id, message) });
  const hub: TerminalHub = new TerminalHub({
    createShell: factory,
    defer: (fn) => deferred.push(fn),
    replayOnAttach: (id) => edits.pending(id),
  });
  return { hub, edits, write: (data: string) => write(data) };
}

const request = {
  title: 'deployment/vweb',
  fileName: 'kubectl-edit-1.yaml',
  content: 'kind: Deployment\n',
  reopened: false,
};

describe('terminal hub and kubectl edit', () => {
  it('sends an edit after the output written before it, and its end', async () => {
    const { hub, edits, write } = setup();
    const peer = new Peer();
    await hub.attach(session, peer);
    write('kubectl edit deploy/vweb\r\n');
    const opened = edits.of('s1').open(request);
    expect(peer.messages.slice(-2)).toEqual([
      { type: 'output', data: 'kubectl edit deploy/vweb\r\n' },
      { type: 'edit', editId: opened.editId, ...request },
    ]);
    edits.answer('s1', opened.editId, { action: 'cancel' });
    expect(peer.messages.at(-1)).toEqual({ type: 'edit-ended', editId: opened.editId });
  });

  it('gives a socket that attaches later the open edits after the scrollback', async () => {
    const { hub, edits } = setup();
    const first = new Peer();
    await hub.attach(session, first);
    first.messages.length = 0;
    const opened = edits.of('s1').open(request);
    expect(hub.send('nobody', { type: 'edit-ended', editId: 'x' })).toBe(false);

    const second = new Peer();
    await hub.attach(session, second);
    expect(second.messages.map((m) => m.type)).toEqual(['status', 'output', 'edit']);
    expect(second.messages.at(-1)).toMatchObject({ editId: opened.editId });
    // Ended edits are not sent again.
    edits.answer('s1', opened.editId, { action: 'cancel' });
    const third = new Peer();
    await hub.attach(session, third);
    expect(third.messages.map((m) => m.type)).toEqual(['status', 'output']);
  });

  it('keeps edits for when a socket attaches while none is attached', async () => {
    const { hub, edits } = setup();
    const peer = new Peer();
    const attachment = await hub.attach(session, peer);
    attachment.detach();
    const opened = edits.of('s1').open(request);
    expect(peer.messages.some((m) => m.type === 'edit')).toBe(false);
    const again = new Peer();
    await hub.attach(session, again);
    expect(again.messages.filter((m) => m.type === 'edit')).toEqual([
      { type: 'edit', editId: opened.editId, ...request },
    ]);
  });
});
