/**
 * The terminal's side of `kubectl edit` in the browser: the connection hands `edit` and
 * `edit-ended` messages over with the session they belong to, and the page events carry the
 * contract the editor listens to.
 */
import { describe, expect, it } from 'vitest';
import type { EditMessage } from '../../../src/protocol/index.ts';
import {
  dispatchKubectlEdit,
  dispatchKubectlEditEnded,
  editActionUrl,
  KUBECTL_EDIT_ENDED_EVENT,
  KUBECTL_EDIT_EVENT,
  type KubectlEditDetail,
  type KubectlEditEndedEvent,
  type KubectlEditEvent,
} from '../../../src/scripts/kubectl-edit-events.ts';
import { type SocketLike, TerminalConnection } from '../../../src/scripts/terminal/connection.ts';

class Socket implements SocketLike {
  readyState = 1;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  send(): void {}
  close(): void {}
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
}

const edit: EditMessage = {
  type: 'edit',
  editId: 'Zx9_k-3bQ2lY8mN1pR4tVw',
  title: 'deployment/vweb',
  fileName: 'kubectl-edit-1.yaml',
  content: 'kind: Deployment\n',
  reopened: false,
};

describe('the terminal connection and kubectl edit', () => {
  it('reports edits with the attached session id, and their end', async () => {
    const socket = new Socket();
    const edits: [EditMessage, string][] = [];
    const ended: string[] = [];
    const connection = new TerminalConnection(
      {
        openSession: async () => ({ id: 's-42', namespace: 'rl-42', created: false, replaced: false }),
        forgetSession: () => {},
        terminalUrl: (id) => `ws://test/${id}`,
        createSocket: () => socket,
        setTimer: () => 0,
        clearTimer: () => {},
        random: () => 0,
      },
      {
        onOutput: () => {},
        onState: () => {},
        onNotice: () => {},
        onEdit: (message, sessionId) => edits.push([message, sessionId]),
        onEditEnded: (editId) => ended.push(editId),
      },
    );
    connection.start();
    await new Promise((resolve) => setImmediate(resolve));
    socket.receive({
      type: 'status',
      state: 'attached',
      session: { id: 's-42', namespace: 'rl-42' },
      replayed: 0,
      truncated: false,
    });
    socket.receive(edit);
    socket.receive({ type: 'edit-ended', editId: edit.editId });
    // A malformed edit (no content) is not passed on.
    socket.receive({ type: 'edit', editId: 'x', title: 't', fileName: 'f', reopened: false });
    expect(edits).toEqual([[edit, 's-42']]);
    expect(ended).toEqual([edit.editId]);
  });
});

describe('kubectl edit page events', () => {
  const detail: KubectlEditDetail = {
    sessionId: 's-42',
    editId: edit.editId,
    title: edit.title,
    fileName: edit.fileName,
    content: edit.content,
    reopened: false,
  };

  it('says whether an editor took the edit', () => {
    const page = new EventTarget();
    expect(dispatchKubectlEdit(page, detail)).toBe(false);
    const seen: KubectlEditDetail[] = [];
    page.addEventListener(KUBECTL_EDIT_EVENT, (event) => {
      seen.push((event as KubectlEditEvent).detail);
      event.preventDefault();
    });
    expect(dispatchKubectlEdit(page, detail)).toBe(true);
    expect(seen).toEqual([detail]);
  });

  it('announces the end of an edit', () => {
    const page = new EventTarget();
    const ended: string[] = [];
    page.addEventListener(KUBECTL_EDIT_ENDED_EVENT, (event) =>
      ended.push((event as KubectlEditEndedEvent).detail.editId),
    );
    dispatchKubectlEditEnded(page, { editId: 'abc' });
    expect(ended).toEqual(['abc']);
    expect(KUBECTL_EDIT_EVENT).toBe('rl:kubectl-edit');
    expect(KUBECTL_EDIT_ENDED_EVENT).toBe('rl:kubectl-edit-ended');
  });

  it('builds the answer URL with the ids escaped', () => {
    expect(editActionUrl({ sessionId: 'a b', editId: 'c/d' })).toBe('/api/sessions/a%20b/edits/c%2Fd');
  });
});
