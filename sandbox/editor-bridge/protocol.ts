/**
 * What the editor program (`kube-editor.ts`, kubectl's KUBE_EDITOR) and the sandbox server say to
 * each other over the server's private Unix socket: one JSON line each way.
 *
 * ```
 * editor → server  {"token":"<per-run secret>","fileName":"kubectl-edit-1234.yaml","content":"…"}
 * server → editor  {"action":"save","content":"…"}   the learner saved: write it, exit 0
 *                  {"action":"cancel"}               leave the file as it is, exit 0
 *                  {"action":"stop","message":"…"}   print the message (if any), leave the file, exit 0
 * ```
 *
 * The token travels only in the environment of the one kubectl run it was made for; the socket
 * lives in a folder only the server's user can open. Nothing the learner runs can reach either.
 */
import { z } from 'zod';
import { MAX_EDIT_BODY_BYTES } from '../../src/protocol/edits.ts';

/** Environment variable holding the socket's path. */
export const EDIT_SOCKET_ENV = 'ROLLOUT_LAB_EDIT_SOCKET';

/** Environment variable holding the run's token. */
export const EDIT_TOKEN_ENV = 'ROLLOUT_LAB_EDIT_TOKEN';

/** Longest line either side reads; a longer one ends the conversation. */
export const MAX_BRIDGE_LINE_BYTES = MAX_EDIT_BODY_BYTES + 4096;

/** The editor program's one request: kubectl's file, as kubectl wrote it. */
export const EditorRequest = z.strictObject({
  token: z.string().min(16).max(256),
  /** The temporary file's base name: `kubectl-edit-1234.yaml`. */
  fileName: z.string().min(1).max(255),
  content: z.string(),
});
export type EditorRequest = z.infer<typeof EditorRequest>;

/** The server's one answer. */
export const EditorReply = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('save'), content: z.string() }),
  z.strictObject({ action: z.literal('cancel') }),
  z.strictObject({
    action: z.literal('stop'),
    /** For the terminal (kubectl's stderr), e.g. why the edit timed out; empty for Ctrl-C. */
    message: z.string(),
  }),
]);
export type EditorReply = z.infer<typeof EditorReply>;

/**
 * Splits a byte stream into lines. `push` returns the complete lines so far, or `undefined` once
 * the unfinished line is longer than `maxBytes` (the sender is broken or hostile: stop reading).
 */
export function createLineSplitter(maxBytes = MAX_BRIDGE_LINE_BYTES): {
  push(chunk: Buffer): string[] | undefined;
} {
  let buffered: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      const lines: string[] = [];
      let rest = chunk;
      for (let newline = rest.indexOf(10); newline >= 0; newline = rest.indexOf(10)) {
        buffered.push(rest.subarray(0, newline));
        lines.push(Buffer.concat(buffered).toString('utf8'));
        buffered = [];
        size = 0;
        rest = rest.subarray(newline + 1);
      }
      if (rest.length > 0) {
        buffered.push(rest);
        size += rest.length;
      }
      return size > maxBytes ? undefined : lines;
    },
  };
}
