/**
 * kubectl's text editor in the sandbox (`KUBE_EDITOR`). kubectl runs it with the path of its
 * temporary file, as it would run `vi FILE`, and waits; this program sends the file to the
 * sandbox server, which shows it in the learner's browser, and waits in turn for the learner's
 * answer:
 *
 * - Save: the new text is written to the file and the program exits 0; kubectl applies it (or
 *   opens the file again with its error header, which comes back here as a new run).
 * - Cancel: the file is left alone and the program exits 0; kubectl says `Edit cancelled, no
 *   changes made.`
 * - Stop (timeout, or the server stopping the edit): the server's message goes to stderr, which
 *   kubectl passes to the terminal, and the file is left alone.
 *
 * Ctrl-C in the terminal interrupts kubectl and this program together (same process group).
 * Failing to reach the server exits 1, so kubectl reports a problem with the editor rather than
 * applying anything.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { basename } from 'node:path';
import { MAX_EDIT_CONTENT_BYTES } from '../../src/protocol/edits.ts';
import {
  createLineSplitter,
  EDIT_SOCKET_ENV,
  EDIT_TOKEN_ENV,
  EditorReply,
  type EditorRequest,
} from './protocol.ts';

function fail(message: string): never {
  process.stderr.write(`rollout-lab editor: ${message}\n`);
  process.exit(1);
}

/** Sends the request and resolves to the server's reply. */
function ask(socketPath: string, request: EditorRequest): Promise<EditorReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const lines = createLineSplitter();
    let answered = false;
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => {
      const got = lines.push(chunk);
      if (got === undefined) {
        socket.destroy();
        reject(new Error('the server sent an answer that is too long'));
        return;
      }
      if (got.length === 0 || answered) return;
      answered = true;
      socket.end();
      try {
        resolve(EditorReply.parse(JSON.parse(got[0]!)));
      } catch (error) {
        reject(new Error(`the server's answer cannot be read: ${(error as Error).message}`));
      }
    });
    socket.on('error', (error) => reject(new Error(`cannot reach the sandbox server: ${error.message}`)));
    socket.on('close', () => {
      if (!answered) reject(new Error('the sandbox server closed the edit without an answer'));
    });
  });
}

async function main(): Promise<void> {
  const file = process.argv.at(-1);
  const socketPath = process.env[EDIT_SOCKET_ENV];
  const token = process.env[EDIT_TOKEN_ENV];
  if (process.argv.length < 3 || !file) fail('no file to edit was given');
  if (!socketPath || !token)
    fail(`${EDIT_SOCKET_ENV} and ${EDIT_TOKEN_ENV} must be set by the sandbox server`);

  const size = (await stat(file)).size;
  if (size > MAX_EDIT_CONTENT_BYTES) {
    // Leaving the file unchanged makes kubectl cancel the edit cleanly.
    process.stderr.write(
      `This object is ${size} bytes, more than the editor panel takes (${MAX_EDIT_CONTENT_BYTES}). ` +
        'Use kubectl get -o yaml to read it and kubectl patch or apply to change it.\n',
    );
    return;
  }
  const content = await readFile(file, 'utf8');
  const reply = await ask(socketPath, { token, fileName: basename(file), content });
  switch (reply.action) {
    case 'save':
      await writeFile(file, reply.content, 'utf8');
      return;
    case 'cancel':
      return;
    case 'stop':
      if (reply.message !== '') process.stderr.write(`${reply.message}\n`);
      return;
  }
}

main().catch((error: unknown) => fail((error as Error).message));
