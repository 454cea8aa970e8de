/**
 * The terminal's WebSocket layer: the only file that imports `ws`. It authenticates the upgrade
 * (the session cookie or `?token=`, and a same-origin check), turns each connection into a
 * TerminalPeer for the hub, validates every frame with the protocol schema, and runs the ping/pong
 * heartbeat that terminates connections whose other end is gone (the `ws` README pattern: a
 * socket that has not answered the previous ping by the next round is dead).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  CLOSE_CODES,
  type ClientMessage,
  decodeClientMessage,
  MAX_FRAME_BYTES,
  type ServerMessage,
} from '../../src/protocol/index.ts';
import type { TerminalHub, TerminalPeer, TerminalSession } from './terminals.ts';

/** Default time between heartbeat pings. */
export const HEARTBEAT_MS = 30_000;

/**
 * Output a slow client may leave unread before it is dropped (it can reconnect and get the
 * scrollback): 8 MiB, far beyond what a person reads, small enough to bound memory per socket.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Why an upgrade is refused: the HTTP status and a JSON error body. */
export interface UpgradeRefusal {
  status: number;
  code: string;
  message: string;
  hint: string;
}

/** Decides whether an upgrade request may attach to a session's terminal. */
export type AuthorizeUpgrade = (
  req: http.IncomingMessage,
  url: URL,
) => Promise<TerminalSession | UpgradeRefusal>;

/** How the socket layer behaves. */
export interface TerminalSocketOptions {
  hub: TerminalHub;
  authorize: AuthorizeUpgrade;
  heartbeatMs?: number;
  /** Where unexpected failures are reported. */
  log?: (message: string, error?: unknown) => void;
}

/** The socket layer, plugged into the HTTP server's `upgrade` event. */
export interface TerminalSockets {
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections. */
  readonly connections: number;
  /** Stops the heartbeat and closes every connection (1001, going away). */
  close(): Promise<void>;
}

/**
 * True when a browser's `Origin` is the server's own (same host and port), or there is no Origin
 * (non-browser clients). A page on another site cannot attach: with SameSite=Strict its request
 * carries no cookie anyway, and this also stops a `?token=` lifted into another origin's page.
 */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, refusal: UpgradeRefusal): void {
  const body = JSON.stringify({
    error: { code: refusal.code, message: refusal.message, hint: refusal.hint },
  });
  const reason = http.STATUS_CODES[refusal.status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${refusal.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Builds the socket layer. */
export function createTerminalSockets(options: TerminalSocketOptions): TerminalSockets {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const log = options.log ?? (() => {});

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  const connect = async (ws: WebSocket, session: TerminalSession): Promise<void> => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    const peer: TerminalPeer = {
      send(message: ServerMessage) {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ws.close(CLOSE_CODES.tooSlow, 'output not read');
          return;
        }
        ws.send(JSON.stringify(message));
      },
      close(code, reason) {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
      },
    };
    // Frames that arrive while the shell starts are handled in order once it is attached.
    const early: string[] = [];
    let attachment: { receive: (message: ClientMessage) => void } | undefined;
    const handleFrame = (text: string): void => {
      const decoded = decodeClientMessage(text);
      if (!decoded.ok) {
        peer.send(decoded.error);
        return;
      }
      try {
        attachment?.receive(decoded.message);
      } catch (error) {
        log('terminal message failed', error);
        peer.send({
          type: 'error',
          code: 'internal',
          message: `The terminal could not handle that message: ${(error as Error).message}`,
          hint: 'Try again; reload the page if the terminal stops answering.',
        });
      }
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        peer.send({
          type: 'error',
          code: 'invalid-message',
          message: 'Message refused: binary frames are not part of the terminal protocol',
          hint: 'Send JSON text frames.',
        });
        return;
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      if (attachment) handleFrame(text);
      else early.push(text);
    });
    let detach: (() => void) | undefined;
    let closed = false;
    ws.on('close', () => {
      closed = true;
      detach?.();
    });
    ws.on('error', (error) => log('terminal socket error', error));
    const attached = await options.hub.attach(session, peer);
    if (closed) {
      attached.detach();
      return;
    }
    attachment = attached;
    detach = attached.detach;
    for (const text of early.splice(0)) handleFrame(text);
  };

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!isSameOrigin(req.headers.origin, req.headers.host)) {
        refuse(socket, {
          status: 403,
          code: 'unauthorized',
          message: 'The terminal can only be opened from the Rollout Lab site itself.',
          hint: 'Open the lesson page served by this server.',
        });
        return;
      }
      options.authorize(req, url).then(
        (result) => {
          if ('status' in result) {
            refuse(socket, result);
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => {
            connect(ws, result).catch((error: unknown) => {
              log('terminal attach failed', error);
              ws.close(1011, 'attach failed');
            });
          });
        },
        (error: unknown) => {
          log('terminal authorization failed', error);
          refuse(socket, {
            status: 500,
            code: 'internal',
            message: 'The server could not check the session.',
            hint: 'Try again in a moment.',
          });
        },
      );
    },
    get connections() {
      return wss.clients.size;
    },
    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      return new Promise<void>((resolve) => {
        // Clients that do not finish the closing handshake are cut off.
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        force.unref();
        wss.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
