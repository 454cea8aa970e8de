/**
 * The contract between the terminal and the page's editor for `kubectl edit`. When kubectl in the
 * terminal opens an object, the terminal dispatches `rl:kubectl-edit` on `document`; the editor
 * shows `content` titled `title`, and answers with
 *
 * ```
 * POST /api/sessions/{sessionId}/edits/{editId}   {"action":"save","content":"…"}  or  {"action":"cancel"}
 * ```
 *
 * (204 on success, 404 when the edit is over). kubectl then applies the text, or opens it again
 * with its error header as a new `rl:kubectl-edit` with `reopened: true`. `rl:kubectl-edit-ended`
 * says an edit is over, whatever ended it (a save, Ctrl-C in the terminal, the timeout); the
 * editor closes it if it still shows it.
 *
 * The terminal tells the learner where the object opened, or that this page has no editor for
 * it: an editor takes the edit by calling `preventDefault()` on the event (it is cancelable), and
 * a page with the editor element (`PAGE_EDITOR_SELECTOR`) counts as taken too, since the editor
 * listens from the moment that element is on the page.
 * The terminal dispatches each edit once per page load (a reconnect does not repeat it; after a
 * reload it comes again with kubectl's text). An editor that meets an `editId` it already shows
 * should keep it as the same document. An edit can end while the page is offline without the
 * page hearing of it: an answer then gets 404, and the editor should close that document.
 */

/** Dispatched on `document` when kubectl opens an object for editing (cancelable: call `preventDefault()` to take it). */
export const KUBECTL_EDIT_EVENT = 'rl:kubectl-edit';

/** The page's editor element; a page with it shows kubectl edits even before Monaco loads. */
export const PAGE_EDITOR_SELECTOR = 'rl-editor';

/** Dispatched on `document` when an edit is over. */
export const KUBECTL_EDIT_ENDED_EVENT = 'rl:kubectl-edit-ended';

/** What kubectl opened. */
export interface KubectlEditDetail {
  /** The session whose route answers: `/api/sessions/{sessionId}/edits/{editId}`. */
  sessionId: string;
  editId: string;
  /** The objects, as `kind/name`: `deployment/vweb`. */
  title: string;
  /** kubectl's temporary file name, `kubectl-edit-1234.yaml` (`.json` for `-o json`): tells the language. */
  fileName: string;
  /** The text to edit, kubectl's comment header included (kubectl ignores `#` lines). */
  content: string;
  /** True when kubectl reopened the file after a failed save; the header says what failed. */
  reopened: boolean;
}

/** Which edit ended. */
export interface KubectlEditEndedDetail {
  editId: string;
}

/** The events as listeners receive them. */
export type KubectlEditEvent = CustomEvent<KubectlEditDetail>;
export type KubectlEditEndedEvent = CustomEvent<KubectlEditEndedDetail>;

/** Where an editor posts its answer for an edit. */
export function editActionUrl(detail: Pick<KubectlEditDetail, 'sessionId' | 'editId'>): string {
  return `/api/sessions/${encodeURIComponent(detail.sessionId)}/edits/${encodeURIComponent(detail.editId)}`;
}

/** Tells the page an edit opened; true when an editor took it (called `preventDefault()`). */
export function dispatchKubectlEdit(target: EventTarget, detail: KubectlEditDetail): boolean {
  const event: KubectlEditEvent = new CustomEvent(KUBECTL_EDIT_EVENT, { detail, cancelable: true });
  return !target.dispatchEvent(event);
}

/** Tells the page an edit is over. */
export function dispatchKubectlEditEnded(target: EventTarget, detail: KubectlEditEndedDetail): void {
  target.dispatchEvent(new CustomEvent(KUBECTL_EDIT_ENDED_EVENT, { detail }) as KubectlEditEndedEvent);
}
