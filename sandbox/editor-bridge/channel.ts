/**
 * The server's end of the editor bridge: a Unix socket in a folder of its own (mode 0700, so
 * only the server's user can connect), where editor programs started by `kubectl edit` bring
 * kubectl's file. Each kubectl run registers a random token and passes it to its editor through
 * the environment; a connection with an unknown token, a malformed request or an oversized line
 * is closed without an answer. A connection that closes before its answer (the editor was
 * interrupted) and a run that unregisters (kubectl ended) abort the handler's signal, so the
 * browser is told the edit is over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLineSplitter, type EditorReply, EditorRequest } from './protocol.ts';

/** One launch of the editor program within a kubectl run. */
export interface EditorLaunch {
  fileName: string;
  content: string;
  /** 1 for kubectl's first launch of the run, 2 and more when kubectl reopens the file. */
  launch: number;
}

/** Answers one launch; `signal` aborts when the editor or the run goes away first. */
export type EditorHandler = (launch: EditorLaunch, signal: AbortSignal) => Promise<EditorReply>;

/** The listening bridge. */
export interface EditChannel {
  /** Absolute path of the socket, for the editor's environment. */
  readonly socketPath: string;
  /** Accepts editors with this token until the returned function is called (which aborts open launches). */
  register(token: string, handler: EditorHandler): () => void;
  /** Connections open now (tests). */
  readonly connections: number;
  /** Stops listening, aborts every launch and removes the socket's folder. */
  close(): Promise<void>;
}

interface Registration {
  handler: EditorHandler;
  launches: number;
  open: Set<AbortController>;
}

/** Starts the bridge in a new private folder under `parentDir` (the system's temp folder by default). */
export async function startEditChannel(options: { parentDir?: string } = {}): Promise<EditChannel> {
  // A short path of its own: Unix socket paths are limited to about 107 bytes, and a folder made
  // by mkdtemp is 0700, so no other user can connect.
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'rl-edit-'));
  const socketPath = join(dir, 'editor.sock');
  const registrations = new Map<string, Registration>();
  const sockets = new Set<Socket>();

  const serve = (socket: Socket): void => {
    sockets.add(socket);
    const lines = createLineSplitter();
    let started = false;
    let aborter: AbortController | undefined;
    let registration: Registration | undefined;
    const finish = (): void => {
      if (aborter && registration) registration.open.delete(aborter);
      aborter?.abort();
    };
    socket.on('close', () => {
      sockets.delete(socket);
      finish();
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (started) return;
      const got = lines.push(chunk);
      if (got === undefined) {
        socket.destroy();
        return;
      }
      if (got.length === 0) return;
      started = true;
      let request: EditorRequest;
      try {
        request = EditorRequest.parse(JSON.parse(got[0]!));
      } catch {
        socket.destroy();
        return;
      }
      registration = registrations.get(request.token);
      if (!registration) {
        socket.destroy();
        return;
      }
      registration.launches++;
      aborter = new AbortController();
      registration.open.add(aborter);
      const signal = aborter.signal;
      registration
        .handler(
          { fileName: request.fileName, content: request.content, launch: registration.launches },
          signal,
        )
        .then(
          (reply) => {
            if (!socket.destroyed) socket.end(`${JSON.stringify(reply)}\n`);
          },
          () => socket.destroy(),
        )
        .finally(finish);
    });
  };

  const server: Server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    socketPath,
    get connections() {
      return sockets.size;
    },
    register(token, handler) {
      const registration: Registration = { handler, launches: 0, open: new Set() };
      registrations.set(token, registration);
      return () => {
        if (registrations.get(token) === registration) registrations.delete(token);
        for (const aborter of registration.open) aborter.abort();
        registration.open.clear();
      };
    },
    async close() {
      for (const registration of registrations.values())
        for (const aborter of registration.open) aborter.abort();
      registrations.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
