/**
 * The `kubectl` command: confine the arguments, then hand them to the injected runner (the real
 * binary with the session kubeconfig). Refusals say why and what to do instead; `kubectl edit`
 * runs with the page's editor as kubectl's editor when the session has one, and is explained
 * otherwise.
 */

import { confineKubectl } from '../confine.ts';
import type { KubectlRunOptions } from '../services.ts';
import { type Builtin, EXIT } from './types.ts';

/** What the learner reads when `kubectl edit` has no page editor to open (a shell without a browser). */
export const EDIT_ALTERNATIVE = [
  'kubectl edit would open a text editor on the server, which this terminal does not have.',
  'Instead, change the manifest in the editor panel (or look at it with cat), then apply it:',
  '  kubectl apply -f vweb/update/vweb-v2.yaml',
  'For a single field there are direct commands: kubectl set image, kubectl scale, kubectl patch.',
].join('\n');

/** `kubectl ARGS...` */
export const kubectl: Builtin = async ({ args, io, signal, env }) => {
  const verdict = await confineKubectl(args, { workspace: env.workspace, cwd: env.cwd });
  if (verdict.kind === 'refuse') {
    // kubectl's own wording ("error: the path ... does not exist") and sentences that already
    // start with "kubectl" read best as they are.
    const message = /^(error:|kubectl )/.test(verdict.message)
      ? verdict.message
      : `kubectl: ${verdict.message}`;
    io.err(`${message}\n${verdict.instead}\n`);
    return EXIT.refused;
  }
  const openEditor = env.openEditor;
  if (verdict.kind === 'edit' && !openEditor) {
    io.err(`${EDIT_ALTERNATIVE}\n`);
    return EXIT.failure;
  }
  const run: KubectlRunOptions = {
    cwd: env.cwd,
    signal,
    columns: env.columns,
    onOutput: (chunk, stream) => (stream === 'stdout' ? io.out(chunk) : io.err(chunk)),
  };
  try {
    // The confined arguments run as they are; `edit` gets the page's editor as kubectl's editor.
    const code =
      verdict.kind === 'edit' && openEditor
        ? await openEditor({ args: [...args], target: verdict.args }, run)
        : await env.kubectl.run(verdict.args, run);
    return signal.aborted ? EXIT.interrupted : code;
  } catch (error) {
    if (signal.aborted) return EXIT.interrupted;
    io.err(`kubectl: could not be started: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
};
