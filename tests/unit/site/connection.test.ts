import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../../src/protocol/index.ts';
import {
  type ConnectionNotice,
  type ConnectionState,
  type SocketLike,
  TerminalConnection,
} from '../../../src/scripts/terminal/connection.ts';
import { type OpenedSession, SessionUnavailableError } from '../../../src/scripts/terminal/session.ts';

/** A socket the test drives: it records what is sent and lets the test deliver messages and closes. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number): void {
    this.closedWith = code;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }

  receive(message: unknown): void {
    this.onmessage?.({
      data: typeof message === 'string' ? message : JSON.stringify(message),
    } as MessageEvent);
  }

  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' } as CloseEvent);
  }
}

const attached = (namespace = 'learner-1') => ({
  type: 'status',
  state: 'attached',
  session: { id: 's1', namespace },
  replayed: 0,
  truncated: false,
});

/** A connection with hand-driven timers, sessions and sockets. */
function setUp(sessions: (OpenedSession | Error)[]) {
  const sockets: FakeSocket[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  const states: ConnectionState[] = [];
  const notices: ConnectionNotice[] = [];
  const output: string[] = [];
  let forgotten = 0;
  const connection = new TerminalConnection(
    {
      openSession: async () => {
        const next = sessions.shift();
        if (!next) throw new Error('no more sessions scripted');
        if (next instanceof Error) throw next;
        return next;
      },
      forgetSession: () => {
        forgotten++;
      },
      terminalUrl: (id) => `ws://test/api/sessions/${id}/terminal`,
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      setTimer: (callback, ms) => {
        timers.push({ callback, ms });
        return timers.length;
      },
      clearTimer: () => {},
      random: () => 0,
    },
    {
      onOutput: (data) => output.push(data),
      onState: (state) => states.push(state),
      onNotice: (notice) => notices.push(notice),
    },
  );
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { connection, sockets, timers, states, notices, output, flush, forgotten: () => forgotten };
}

const session = (id: string, extra: Partial<OpenedSession> = {}): OpenedSession => ({
  id,
  namespace: `learner-${id}`,
  replaced: false,
  created: false,
  ...extra,
});

describe('TerminalConnection', () => {
  it('counts as connected only once the server attached the shell, then sends the size and input', async () => {
    const t = setUp([session('s1')]);
    t.connection.resize(100, 30);
    t.connection.start();
    await t.flush();
    const socket = t.sockets[0]!;
    expect(socket.url).toBe('ws://test/api/sessions/s1/terminal');
    socket.open();
    expect(t.connection.sendInput('ls\r')).toBe(false);
    expect(t.connection.state).toEqual({ kind: 'connecting' });
    socket.receive(attached());
    expect(t.connection.state).toEqual({ kind: 'connected', namespace: 'learner-1' });
    expect(t.connection.sendInput('ls\r')).toBe(true);
    t.connection.resize(80, 24);
    expect(socket.sent).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'input', data: 'ls\r' },
      { type: 'resize', cols: 80, rows: 24 },
    ]);
  });

  it('passes output on and ignores what is not a valid server message', async () => {
    const t = setUp([session('s1')]);
    t.connection.start();
    await t.flush();
    const socket = t.sockets[0]!;
    socket.open();
    socket.receive({ type: 'output', data: 'hello\r\n' });
    socket.receive('not json');
    socket.receive({ type: 'output', data: 42 });
    socket.receive({ type: 'mystery' });
    socket.receive({ type: 'error', code: 'invalid-message', message: 'Message refused', hint: 'Send JSON' });
    socket.receive({ type: 'status', state: 'reset' });
    expect(t.output).toEqual(['hello\r\n']);
    expect(t.notices).toEqual([
      { kind: 'error', message: 'Message refused', hint: 'Send JSON' },
      { kind: 'reset' },
    ]);
  });

  it('reconnects after a drop with growing waits, and starts over after an attach', async () => {
    const t = setUp([session('s1'), session('s1'), session('s1'), session('s1')]);
    t.connection.start();
    await t.flush();
    t.sockets[0]!.drop(1006);
    expect(t.connection.state).toEqual({
      kind: 'waiting',
      reason: 'disconnected',
      retryInMs: 250,
      attempt: 0,
    });
    t.timers.shift()!.callback();
    await t.flush();
    t.sockets[1]!.drop(1006);
    expect(t.connection.state).toMatchObject({ kind: 'waiting', retryInMs: 500, attempt: 1 });
    t.timers.shift()!.callback();
    await t.flush();
    t.sockets[2]!.open();
    t.sockets[2]!.receive(attached());
    t.sockets[2]!.drop(1001);
    expect(t.connection.state).toMatchObject({ kind: 'waiting', retryInMs: 250, attempt: 0 });
  });

  it('keeps retrying while no sandbox answers, and stops when the server refuses with a reason', async () => {
    const t = setUp([
      new SessionUnavailableError('unreachable', 'down'),
      new SessionUnavailableError('refused', 'The classroom is full', { hint: 'Try later' }),
    ]);
    t.connection.start();
    await t.flush();
    expect(t.connection.state).toMatchObject({ kind: 'waiting', reason: 'unreachable' });
    t.timers.shift()!.callback();
    await t.flush();
    expect(t.connection.state).toEqual({
      kind: 'stopped',
      reason: 'refused',
      message: 'The classroom is full',
      hint: 'Try later',
    });
    expect(t.timers).toEqual([]);
  });

  it('stays stopped after another tab took the session over, until asked to reconnect', async () => {
    const t = setUp([session('s1'), session('s1')]);
    t.connection.start();
    await t.flush();
    t.sockets[0]!.open();
    t.sockets[0]!.receive(attached());
    t.sockets[0]!.receive({ type: 'status', state: 'taken-over' });
    t.sockets[0]!.drop(CLOSE_CODES.takenOver);
    expect(t.connection.state).toMatchObject({ kind: 'stopped', reason: 'taken-over' });
    expect(t.timers).toEqual([]);
    t.connection.reconnectNow();
    await t.flush();
    expect(t.sockets).toHaveLength(2);
  });

  it('opens and announces a new session after the old one ended', async () => {
    const t = setUp([session('s1'), session('s9', { created: true, namespace: 'learner-s9' })]);
    t.connection.start();
    await t.flush();
    t.sockets[0]!.open();
    t.sockets[0]!.receive(attached());
    t.sockets[0]!.receive({ type: 'status', state: 'ended', reason: 'expired' });
    t.sockets[0]!.drop(CLOSE_CODES.sessionEnded);
    expect(t.forgotten()).toBe(1);
    t.timers.shift()!.callback();
    await t.flush();
    expect(t.notices).toEqual([
      { kind: 'session-ended', reason: 'expired' },
      { kind: 'new-session', namespace: 'learner-s9' },
    ]);
    expect(t.sockets[1]!.url).toBe('ws://test/api/sessions/s9/terminal');
  });

  it('closes quietly when disposed, without scheduling a reconnect', async () => {
    const t = setUp([session('s1')]);
    t.connection.start();
    await t.flush();
    t.connection.dispose();
    expect(t.sockets[0]!.closedWith).toBe(1000);
    expect(t.connection.state).toMatchObject({ kind: 'stopped', reason: 'disposed' });
    expect(t.timers).toEqual([]);
  });
});
