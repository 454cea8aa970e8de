/**
 * The editor's DOM events: what other parts of the page ask of it, without importing it (so the
 * editor, and Monaco behind it, load only when asked).
 *
 * - `rl:open-file` (`OpenFileDetail`): an `<Open>` button of the lesson wants a workdir file shown
 *   at a line.
 * - `rl:kubectl-edit` (`KubectlEditDetail`) and `rl:kubectl-edit-ended`: the terminal says
 *   `kubectl edit` is waiting for an editor, or has stopped waiting (Ctrl-C, applied). The editor
 *   answers with `POST /api/sessions/:id/edits/:editId`.
 */

/** Dispatched on `document` by `<Open>`. */
export const OPEN_FILE_EVENT = 'rl:open-file';

export interface OpenFileDetail {
  /** Relative to the exercise folder: `vweb/update/vweb-v1-scale.yaml`. */
  path: string;
  /** 1-based line to reveal and put the cursor on. */
  line?: number;
}

// kubectl edit's events are the terminal's to define; the editor listens to the same ones.
export {
  KUBECTL_EDIT_ENDED_EVENT,
  KUBECTL_EDIT_EVENT,
  type KubectlEditDetail,
  type KubectlEditEndedDetail,
} from '../kubectl-edit-events.ts';

/** Asks the editor to show a file (from `<Open>` or a test). */
export function dispatchOpenFile(detail: OpenFileDetail): void {
  document.dispatchEvent(new CustomEvent<OpenFileDetail>(OPEN_FILE_EVENT, { detail }));
}
