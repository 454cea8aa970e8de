/**
 * `kubectl edit` with the page's editor as kubectl's text editor. The real kubectl runs on the
 * server with a small editor program (`sandbox/editor-bridge/kube-editor.ts`) as `KUBE_EDITOR`;
 * that program hands kubectl's temporary file to the server, which shows it to the browser:
 *
 * ```
 * server → client (terminal socket)  {"type":"edit","editId":"…","title":"deployment/vweb",
 *                                      "fileName":"kubectl-edit-1234.yaml","content":"# Please edit…","reopened":false}
 *                                     {"type":"edit-ended","editId":"…"}
 * client → server (HTTP)              POST /api/sessions/:id/edits/:editId  {"action":"save","content":"…"}
 *                                                                           {"action":"cancel"}
 * ```
 *
 * Saving writes the content back to kubectl's file, and kubectl applies it as it would after
 * `vi` exits: `deployment.apps/vweb edited`, or the file opens again (`reopened: true`) with
 * kubectl's error header. Cancel leaves the file as it was (`Edit cancelled, no changes made.`).
 * Re-exported from `index.ts`; kept apart so the editor's chunk can import only this part.
 */
import { z } from 'zod';

/** Largest object text shown in the editor and accepted back, in UTF-8 bytes. */
export const MAX_EDIT_CONTENT_BYTES = 256 * 1024;

/**
 * Largest body of `POST /api/sessions/:id/edits/:editId`, in bytes: the content as a JSON
 * string may take more bytes than the text itself (every `"` and newline is escaped).
 */
export const MAX_EDIT_BODY_BYTES = 4 * MAX_EDIT_CONTENT_BYTES;

/** An edit id: random URL-safe text chosen by the server, unguessable. */
export const EDIT_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * kubectl opened an object for editing: show `content` in the editor and answer with save or
 * cancel. Sent again when a terminal socket attaches while the edit is still open.
 */
export const EditMessage = z.object({
  type: z.literal('edit'),
  /** Names this edit in `POST /api/sessions/:id/edits/:editId`. */
  editId: z.string(),
  /** What is being edited, as kubectl names it: `deployment/vweb` (several: `deployment/vweb, service/vweb`). */
  title: z.string(),
  /** kubectl's temporary file name, e.g. `kubectl-edit-1234.yaml` (`.json` with `-o json`). */
  fileName: z.string(),
  /** The file as kubectl wrote it: its comment header, then the object. */
  content: z.string(),
  /** True when kubectl opened the file again after a failed save; its header says what failed. */
  reopened: z.boolean(),
});
export type EditMessage = z.infer<typeof EditMessage>;

/**
 * The edit is over: saved, cancelled, stopped with Ctrl-C in the terminal, timed out, or the
 * session ended. The editor closes it if it still shows it.
 */
export const EditEndedMessage = z.object({
  type: z.literal('edit-ended'),
  editId: z.string(),
});
export type EditEndedMessage = z.infer<typeof EditEndedMessage>;

/** Body of `POST /api/sessions/:id/edits/:editId`: save the new text, or cancel. */
export const EditActionRequest = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('save'),
    /** The whole file as the learner left it; kubectl ignores lines starting with `#`. */
    content: z.string(),
  }),
  z.strictObject({ action: z.literal('cancel') }),
]);
export type EditActionRequest = z.infer<typeof EditActionRequest>;
