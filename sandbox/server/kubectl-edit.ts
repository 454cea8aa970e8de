/**
 * `kubectl edit` in the terminal, done by the real kubectl with the browser as its editor.
 *
 * kubectl runs as for any command (confined arguments, session kubeconfig, clean environment),
 * plus `KUBE_EDITOR` naming the editor program (`sandbox/editor-bridge/kube-editor.ts`), the
 * bridge's socket and a token made for this run only, and `TMPDIR` inside the session's cache
 * folder so kubectl's temporary file is private to the session. Each time kubectl launches its
 * editor, the program brings the file over the bridge; this module opens it in the session's
 * edit broker (which shows it in the page) and answers with the learner's Save or Cancel.
 * kubectl's own flow does the rest: it applies the file and prints `deployment.apps/vweb
 * edited`, or reopens it with an error header (a second launch: `reopened: true`), or says `Edit
 * cancelled, no changes made.`
 *
 * kubectl runs in a process group of its own, so Ctrl-C stops it and its editor together; when
 * the run ends for any reason the token is dropped and any edit still open is ended.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { EditChannel } from '../editor-bridge/channel.ts';
import { EDIT_SOCKET_ENV, EDIT_TOKEN_ENV, type EditorReply } from '../editor-bridge/protocol.ts';
import type { OpenEditor } from '../shell/index.ts';
import type { EditBroker, EditOutcome } from './edit-broker.ts';
import { exitStatusOf, type KubectlRunnerOptions, runKubectlProcess } from './kubectl-runner.ts';

/** The editor program kubectl launches. */
export const EDITOR_PROGRAM = resolve(import.meta.dirname, '../editor-bridge/kube-editor.ts');

/** The shell kubectl uses for a KUBE_EDITOR with quotes (when a path has spaces): a plain POSIX one. */
export const EDITOR_SHELL = '/bin/sh';

/** Words kubectl can split on spaces itself, without a shell. */
const PLAIN_WORD = /^[^\s"'\\]+$/;

/**
 * The KUBE_EDITOR value that makes kubectl run `words` followed by its file. kubectl splits a
 * value with spaces but no quotes or backslashes on single spaces and runs it directly; any
 * other value goes to `$SHELL -c`, so such words are single-quoted for a POSIX shell.
 */
export function formatKubeEditor(words: readonly string[]): string {
  if (words.every((word) => PLAIN_WORD.test(word))) return words.join(' ');
  return words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
}

/**
 * What the editor shows as the document's title: the objects in kubectl's file, as `kind/name`
 * in lower case (`deployment/vweb`; a List gives `deployment/vweb, service/vweb`). When the file
 * cannot be read, the learner's own words after `edit`.
 */
export function describeEditTitle(content: string, target: readonly string[]): string {
  const names: string[] = [];
  try {
    for (const document of parseAllDocuments(content)) {
      if (document.errors.length > 0) continue;
      const value: unknown = document.toJS();
      const objects =
        isRecord(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
      for (const object of objects) {
        if (!isRecord(object) || typeof object.kind !== 'string' || !isRecord(object.metadata)) continue;
        const name = object.metadata.name;
        if (typeof name === 'string' && name !== '') names.push(`${object.kind.toLowerCase()}/${name}`);
      }
    }
  } catch {
    // An unreadable file is titled by the command line below.
  }
  if (names.length > 0) return names.join(', ');
  const words = target.join(' ').trim();
  return words === '' ? 'kubectl edit' : words;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the terminal says when an edit was left open too long. */
export function formatEditTimeout(timeoutMs: number): string {
  const minutes = Math.round(timeoutMs / 60_000);
  return `rollout-lab: the edit was open in the editor panel for ${minutes} minutes without Save or Cancel, so it was given up. Run kubectl edit again when you are ready.`;
}

/** The editor program's answer for an edit's outcome. */
export function replyForOutcome(outcome: EditOutcome, timeoutMs: number): EditorReply {
  switch (outcome.kind) {
    case 'save':
      return { action: 'save', content: outcome.content };
    case 'cancel':
      return { action: 'cancel' };
    case 'timeout':
      return { action: 'stop', message: formatEditTimeout(timeoutMs) };
    case 'stopped':
      return { action: 'stop', message: '' };
  }
}

/**
 * The editor program run by the server's own Node, with the server's flags for TypeScript if it
 * was started with any (Node 22 before type stripping was on by default), and no other flag
 * (`--inspect` would fight the server for its port).
 */
export function defaultEditorCommand(
  execPath = process.execPath,
  execArgv: readonly string[] = process.execArgv,
): string[] {
  const typeFlags = execArgv.filter((flag) => /^--experimental-(strip|transform)-types$/.test(flag));
  return [execPath, ...typeFlags, EDITOR_PROGRAM];
}

/** What a session's `kubectl edit` needs. */
export interface KubectlEditOptions {
  /** The session's kubectl settings, as for its ordinary runs. */
  runner: KubectlRunnerOptions;
  channel: EditChannel;
  /** The session's broker. */
  broker: EditBroker;
  /** The broker's timeout, for the message (DEFAULT_EDIT_TIMEOUT_MS). */
  timeoutMs: number;
  /** The editor program's command words; `defaultEditorCommand()` by default. */
  editorCommand?: readonly string[];
  /** Per-run secrets; 32 random bytes by default. */
  newToken?: () => string;
}

/** The shell's `openEditor` for one session. */
export function createOpenEditor(options: KubectlEditOptions): OpenEditor {
  const editorCommand = options.editorCommand ?? defaultEditorCommand();
  const newToken = options.newToken ?? (() => randomBytes(32).toString('base64url'));
  const tmpDir = join(options.runner.cacheDir, 'tmp');
  let foldersReady: Promise<unknown> | undefined;

  return async (request, run) => {
    if (run.signal.aborted) return exitStatusOf(null, 'SIGINT');
    foldersReady ??= Promise.all([
      mkdir(join(options.runner.cacheDir, 'cache'), { recursive: true, mode: 0o700 }),
      mkdir(tmpDir, { recursive: true, mode: 0o700 }),
    ]);
    await foldersReady;
    const token = newToken();
    let title: string | undefined;
    const unregister = options.channel.register(token, async (launch, signal) => {
      // A reopened file starts with kubectl's error header and may not parse: keep the first title.
      title ??= describeEditTitle(launch.content, request.target);
      const opened = options.broker.open({
        title,
        fileName: launch.fileName,
        content: launch.content,
        reopened: launch.launch > 1,
      });
      const stop = (): void => {
        options.broker.stop(opened.editId);
      };
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      const outcome = await opened.outcome;
      signal.removeEventListener('abort', stop);
      return replyForOutcome(outcome, options.timeoutMs);
    });
    try {
      return await runKubectlProcess(options.runner, request.args, run, {
        env: {
          KUBE_EDITOR: formatKubeEditor(editorCommand),
          SHELL: EDITOR_SHELL,
          TMPDIR: tmpDir,
          [EDIT_SOCKET_ENV]: options.channel.socketPath,
          [EDIT_TOKEN_ENV]: token,
        },
        ownProcessGroup: true,
      });
    } finally {
      unregister();
    }
  };
}
