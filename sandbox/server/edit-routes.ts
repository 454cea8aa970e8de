/**
 * `POST /api/sessions/:id/edits/:editId`: the learner's Save or Cancel for a `kubectl edit` open
 * in the page. The session is already authorized by the caller; an edit id is looked up in that
 * session's broker only, so another session's edit ids answer 404 like made-up ones.
 *
 * | answer | when |
 * | --- | --- |
 * | 204 | saved or cancelled; kubectl goes on in the terminal |
 * | 400 | the body is not `{"action":"save","content":"…"}` or `{"action":"cancel"}` |
 * | 404 | no such edit open in this session (never was, or already ended) |
 * | 413 | the body is over MAX_EDIT_BODY_BYTES or the content over MAX_EDIT_CONTENT_BYTES |
 */
import type http from 'node:http';
import { EditActionRequest, MAX_EDIT_BODY_BYTES, MAX_EDIT_CONTENT_BYTES } from '../../src/protocol/index.ts';
import type { EditBrokers } from './edit-broker.ts';
import { API_HEADERS, ApiError, readJsonBody } from './http-utils.ts';

/** Answers one Save or Cancel. */
export async function handleEditAction(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  edits: EditBrokers | undefined,
  sessionId: string,
  editId: string,
): Promise<void> {
  const action = await readJsonBody(req, EditActionRequest, MAX_EDIT_BODY_BYTES);
  if (action.action === 'save' && Buffer.byteLength(action.content) > MAX_EDIT_CONTENT_BYTES)
    throw new ApiError(
      413,
      'payload-too-large',
      `The edited text is larger than ${MAX_EDIT_CONTENT_BYTES} bytes.`,
      'Objects in this course are a few KiB; remove what you pasted by mistake and save again.',
    );
  if (!edits?.answer(sessionId, editId, action))
    throw new ApiError(
      404,
      'not-found',
      'No such kubectl edit is open in this session: it was saved, cancelled, stopped with Ctrl-C or timed out.',
      'Run kubectl edit again in the terminal.',
    );
  res.writeHead(204, API_HEADERS);
  res.end();
}
