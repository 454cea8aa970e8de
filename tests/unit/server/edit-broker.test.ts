import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import {
  DEFAULT_EDIT_TIMEOUT_MS,
  EditBroker,
  EditBrokers,
  type EditOutcome,
  newEditId,
} from '../../../sandbox/server/edit-broker.ts';
import {
  defaultEditorCommand,
  describeEditTitle,
  EDITOR_PROGRAM,
  formatEditTimeout,
  formatKubeEditor,
  replyForOutcome,
} from '../../../sandbox/server/kubectl-edit.ts';
import { EDIT_ID, type ServerMessage } from '../../../src/protocol/index.ts';

function setup(timeoutMs?: number) {
  const clock = createManualClock();
  const sent: ServerMessage[] = [];
  let next = 0;
  const broker = new EditBroker({
    clock,
    send: (message) => sent.push(message),
    newId: () => `edit-${++next}`,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return { clock, sent, broker };
}

const request = {
  title: 'deployment/vweb',
  fileName: 'kubectl-edit-1.yaml',
  content: 'kind: Deployment\n',
  reopened: false,
};

/** The outcome if it has settled by now, else 'open'. */
async function peek(outcome: Promise<EditOutcome>): Promise<EditOutcome | 'open'> {
  return Promise.race([outcome, new Promise<'open'>((resolve) => setImmediate(() => resolve('open')))]);
}

describe('EditBroker', () => {
  it('pushes an open edit, keeps it pending, and resolves it with the saved text', async () => {
    const { sent, broker } = setup();
    const opened = broker.open(request);
    expect(sent).toEqual([{ type: 'edit', editId: 'edit-1', ...request }]);
    expect(broker.pending()).toEqual([{ type: 'edit', editId: 'edit-1', ...request }]);
    expect(await peek(opened.outcome)).toBe('open');

    expect(broker.answer('edit-1', { action: 'save', content: 'kind: Deployment\nspec: {}\n' })).toBe(true);
    expect(await opened.outcome).toEqual({ kind: 'save', content: 'kind: Deployment\nspec: {}\n' });
    expect(sent.at(-1)).toEqual({ type: 'edit-ended', editId: 'edit-1' });
    expect(broker.pending()).toEqual([]);
  });

  it('answers only once: a second answer, a stop after the end and unknown ids are refused', async () => {
    const { sent, broker } = setup();
    const opened = broker.open(request);
    expect(broker.answer('edit-1', { action: 'cancel' })).toBe(true);
    expect(broker.answer('edit-1', { action: 'save', content: 'x' })).toBe(false);
    expect(broker.stop('edit-1')).toBe(false);
    expect(broker.answer('edit-9', { action: 'cancel' })).toBe(false);
    expect(await opened.outcome).toEqual({ kind: 'cancel' });
    expect(sent.filter((m) => m.type === 'edit-ended')).toHaveLength(1);
  });

  it('lists every open edit, oldest first, for a socket that reattaches', () => {
    const { broker } = setup();
    broker.open(request);
    broker.open({ ...request, content: '# reopened\n', reopened: true });
    expect(broker.pending().map((m) => [m.editId, m.reopened])).toEqual([
      ['edit-1', false],
      ['edit-2', true],
    ]);
    broker.stop('edit-1');
    expect(broker.pending().map((m) => m.editId)).toEqual(['edit-2']);
  });

  it('stops an edit from the server side (Ctrl-C) and tells the page', async () => {
    const { sent, broker } = setup();
    const opened = broker.open(request);
    expect(broker.stop('edit-1')).toBe(true);
    expect(await opened.outcome).toEqual({ kind: 'stopped' });
    expect(sent.at(-1)).toEqual({ type: 'edit-ended', editId: 'edit-1' });
  });

  it('gives up after the idle timeout, not a millisecond before', async () => {
    const { clock, sent, broker } = setup();
    const opened = broker.open(request);
    clock.advance(DEFAULT_EDIT_TIMEOUT_MS - 1);
    expect(await peek(opened.outcome)).toBe('open');
    clock.advance(1);
    expect(await opened.outcome).toEqual({ kind: 'timeout' });
    expect(sent.at(-1)).toEqual({ type: 'edit-ended', editId: 'edit-1' });
    expect(broker.size).toBe(0);
  });

  it('cancels the timer of an answered edit', () => {
    const { clock, broker } = setup(1000);
    broker.open(request);
    expect(clock.pendingTimers()).toBe(1);
    broker.answer('edit-1', { action: 'cancel' });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('makes unguessable URL-safe ids', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newEditId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(EDIT_ID);
  });
});

describe('EditBrokers', () => {
  it('keeps sessions apart: an edit id of one session is unknown in another', async () => {
    const clock = createManualClock();
    const sent: [string, ServerMessage][] = [];
    const brokers = new EditBrokers({ clock, send: (id, message) => sent.push([id, message]) });
    const opened = brokers.of('a').open(request);
    expect(sent).toEqual([['a', expect.objectContaining({ type: 'edit', editId: opened.editId })]]);
    expect(brokers.answer('b', opened.editId, { action: 'cancel' })).toBe(false);
    expect(brokers.pending('b')).toEqual([]);
    expect(brokers.pending('a')).toHaveLength(1);
    expect(brokers.answer('a', opened.editId, { action: 'cancel' })).toBe(true);
  });

  it("stops a session's edits when it ends", async () => {
    const brokers = new EditBrokers({ clock: createManualClock(), send: () => {} });
    const opened = brokers.of('a').open(request);
    brokers.end('a');
    expect(await opened.outcome).toEqual({ kind: 'stopped' });
    expect(brokers.pending('a')).toEqual([]);
  });
});

describe('kubectl edit helpers', () => {
  it.each([
    [
      ['/usr/bin/node', '/srv/rl/sandbox/editor-bridge/kube-editor.ts'],
      '/usr/bin/node /srv/rl/sandbox/editor-bridge/kube-editor.ts',
    ],
    // Spaces or quotes make kubectl hand the value to $SHELL -c: quote each word for sh.
    [['/opt/my node/node', '/srv/kube-editor.ts'], "'/opt/my node/node' '/srv/kube-editor.ts'"],
    [["/srv/it's/node", '/e.ts'], "'/srv/it'\\''s/node' '/e.ts'"],
  ])('KUBE_EDITOR for %j is %s', (words, expected) => {
    expect(formatKubeEditor(words)).toBe(expected);
  });

  const header = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n#\n";
  it.each([
    [
      `${header}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: vweb\n`,
      ['deploy/vweb'],
      'deployment/vweb',
    ],
    [
      `${header}apiVersion: v1\nkind: List\nitems:\n- kind: Deployment\n  metadata:\n    name: vweb\n- kind: Service\n  metadata:\n    name: vweb\n`,
      ['deploy/vweb', 'svc/vweb'],
      'deployment/vweb, service/vweb',
    ],
    ['{"kind":"Service","metadata":{"name":"vweb"}}', ['svc', 'vweb', '-o', 'json'], 'service/vweb'],
    // A file that does not parse (a reopened file with a syntax error) is named by the command line.
    ['kind: Deployment\nmetadata: [\n', ['deploy/vweb'], 'deploy/vweb'],
    ['', [], 'kubectl edit'],
  ])('titles %j as %s', (content, target, title) => {
    expect(describeEditTitle(content, target)).toBe(title);
  });

  it("runs the editor with the server's Node and only its TypeScript flags", () => {
    expect(
      defaultEditorCommand('/n/node', ['--inspect=9229', '--experimental-strip-types', '--expose-gc']),
    ).toEqual(['/n/node', '--experimental-strip-types', EDITOR_PROGRAM]);
    expect(defaultEditorCommand('/n/node', [])).toEqual(['/n/node', EDITOR_PROGRAM]);
  });

  it('answers the editor program for each outcome', () => {
    expect(replyForOutcome({ kind: 'save', content: 'a' }, 60_000)).toEqual({ action: 'save', content: 'a' });
    expect(replyForOutcome({ kind: 'cancel' }, 60_000)).toEqual({ action: 'cancel' });
    expect(replyForOutcome({ kind: 'stopped' }, 60_000)).toEqual({ action: 'stop', message: '' });
    expect(replyForOutcome({ kind: 'timeout' }, DEFAULT_EDIT_TIMEOUT_MS)).toEqual({
      action: 'stop',
      message: formatEditTimeout(DEFAULT_EDIT_TIMEOUT_MS),
    });
    expect(formatEditTimeout(DEFAULT_EDIT_TIMEOUT_MS)).toContain('for 30 minutes without Save or Cancel');
  });
});
