/**
 * The sandbox's HTTP server: the session API, the terminal WebSocket and the site, on one port.
 * It is given the session registry, the terminal hub and the site; `main.ts` builds those from
 * the environment, tests build them around an embedded cluster.
 *
 * Every route under `/api/sessions/:id` needs that session's token, from the `rl_session`
 * cookie or `Authorization: Bearer <id>.<secret>` (the terminal also takes `?token=`). Without
 * any credentials the answer is 401; with credentials that do not open that session it is 404,
 * whether or not the session exists, so ids cannot be probed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CreatedSession,
  CreateSessionRequest,
  type Locale,
  ResetSessionRequest,
  type SessionInfo,
  type StepChecksResponse,
} from '../../src/protocol/index.ts';
import { type Clock, createScaledClock } from '../cluster/clock.ts';
import { buildWorkloadsView } from '../live-view/workloads-view.ts';
import {
  createProgressService,
  type LearnerIdentity,
  openProgressStore,
  type ProgressService,
} from '../progress/index.ts';
import { type Session, SessionLimitError, SessionManagerClosedError } from '../sessions/index.ts';
import { createSessionWatcher, createWatcherRegistry } from '../watch/index.ts';
import {
  type CredentialSources,
  collectCredentials,
  formatClearedSessionCookie,
  formatSessionCookie,
  formatSessionToken,
  hasAnyCredentials,
  readCookies,
  SESSION_COOKIE,
} from './credentials.ts';
import type { EditBrokers } from './edit-broker.ts';
import { handleEditAction } from './edit-routes.ts';
import { rawFilesApiPath, serveWorkdirFile, serveWorkdirTree } from './files-routes.ts';
import { ApiError, readJsonBody, sendApiError, sendJson } from './http-utils.ts';
import { createKubeRequester, KubeRequestError, readInlineKubeconfig } from './kube-request.ts';
import { matchApiRoute } from './routes.ts';
import { createSchemaCache, serveManifestSchema } from './schema-route.ts';
import {
  createChecksTopic,
  createSessionEventStreams,
  type EventTopic,
  readStepQuery,
} from './session-events.ts';
import { createTerminalSockets, type TerminalSockets, type UpgradeRefusal } from './socket.ts';
import { renderPlaceholderPage, type StaticSite } from './static-site.ts';
import { COLLECTIONS, judgeSteps, SnapshotError, takeNamespaceSnapshot } from './step-checks.ts';
import type { TerminalHub, TerminalSession } from './terminals.ts';

/** A session as the registry keeps it. */
export type SandboxSession = Session;

/** What the server needs of the session manager (SessionManager, or a stand-in in tests). */
export interface SessionRegistry {
  create(): Promise<SandboxSession>;
  get(id: string): SandboxSession | undefined;
  authenticate(id: string, secret: string): SandboxSession | undefined;
  touch(id: string): void;
  reset(id: string): Promise<SandboxSession>;
  delete(id: string): Promise<void>;
  expireIdle(): Promise<string[]>;
  readonly size: number;
}

/** How the server behaves. */
export interface SandboxServerOptions {
  sessions: SessionRegistry;
  terminals: TerminalHub;
  /** Name of the backend, shown by the API and the placeholder page. */
  backend: string;
  /** How long an untouched session lives; used for `expiresAt` and the cookie's lifetime. */
  idleTimeoutMs: number;
  /** How often idle sessions are looked for (60 s by default; 0 turns the sweep off). */
  expiryIntervalMs?: number;
  /** The built site; the placeholder page when absent. */
  site?: StaticSite;
  /** Mark the cookie `Secure` (the site is served over HTTPS by a proxy in front). */
  secureCookies?: boolean;
  heartbeatMs?: number;
  /** Called after a session is gone (deleted or expired): free what belongs to it. */
  onSessionEnded?: (sessionId: string) => void | Promise<void>;
  /** The sessions' open `kubectl edit`s, answered by `POST /api/sessions/:id/edits/:editId`. */
  edits?: EditBrokers;
  /** Learners' progress (SQLite); an in-memory store, lost at exit, when absent. */
  progress?: ProgressService;
  /** Time for the namespace watchers and the event streams' heartbeats (the wall clock by default). */
  clock?: Clock;
  /** A comment line on an idle event stream this often (15 s by default). */
  eventHeartbeatMs?: number;
  /** Remembers the greeting language of a session (for the shell's banner). */
  onLocale?: (sessionId: string, locale: Locale) => void;
  host?: string;
  port?: number;
  log?: (message: string, error?: unknown) => void;
}

/** A running sandbox server. */
export interface SandboxServer {
  /** Base URL, e.g. `http://127.0.0.1:4321`. */
  url: string;
  httpServer: http.Server;
  sockets: TerminalSockets;
  /** Deletes idle sessions now; resolves to their ids. */
  expireIdleSessions(): Promise<string[]>;
  /** Ends every terminal, closes sockets and the listener. Sessions themselves are the caller's. */
  close(): Promise<void>;
}

/** A backend failure with a next step (BackendError and kin carry a `hint`). */
function hintOf(error: unknown): string | undefined {
  const hint = (error as { hint?: unknown } | null)?.hint;
  return typeof hint === 'string' ? hint : undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const unauthorized = (): ApiError =>
  new ApiError(
    401,
    'unauthorized',
    'This route needs the session token.',
    'Send the rl_session cookie set by POST /api/sessions, or Authorization: Bearer <token> with the token it returned.',
  );

const sessionNotFound = (): ApiError =>
  new ApiError(
    404,
    'not-found',
    'No such session for these credentials. It may have expired or been deleted.',
    'Create a new session with POST /api/sessions.',
  );

/** Starts the server and resolves once it listens. */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const { sessions, terminals } = options;
  const log = options.log ?? (() => {});
  const schemas = createSchemaCache();

  const describe = (session: SandboxSession): SessionInfo => {
    const base = `/api/sessions/${session.id}`;
    return {
      id: session.id,
      namespace: session.namespace,
      backend: options.backend,
      createdAt: iso(session.createdAt),
      lastSeenAt: iso(session.lastSeenAt),
      expiresAt: iso(session.lastSeenAt + options.idleTimeoutMs),
      links: { self: base, terminal: `${base}/terminal`, kubeconfig: `${base}/kubeconfig` },
    };
  };

  /** The session `id` if one of the request's credentials opens it. */
  const authorize = (sources: CredentialSources, id: string): SandboxSession => {
    const credentials = collectCredentials(sources);
    if (credentials.length === 0 && !hasAnyCredentials(sources)) throw unauthorized();
    for (const credential of credentials) {
      if (credential.id !== id) continue;
      const session = sessions.authenticate(id, credential.secret);
      if (session) return session;
    }
    throw sessionNotFound();
  };

  /** The session the request's own credentials name (`GET /api/sessions/current`). */
  const currentSession = (sources: CredentialSources): SandboxSession => {
    const credentials = collectCredentials(sources);
    if (credentials.length === 0 && !hasAnyCredentials(sources)) throw unauthorized();
    for (const credential of credentials) {
      const session = sessions.authenticate(credential.id, credential.secret);
      if (session) return session;
    }
    throw sessionNotFound();
  };

  const sourcesOf = (req: http.IncomingMessage): CredentialSources => ({
    authorization: req.headers.authorization,
    cookie: req.headers.cookie,
  });

  const cookieNames = (req: http.IncomingMessage, id: string): boolean =>
    readCookies(req.headers.cookie, SESSION_COOKIE).some((token) => token.startsWith(`${id}.`));

  // Progress, the namespace watchers (one per followed session) and the event streams on them.
  const progress =
    options.progress ??
    createProgressService({
      store: openProgressStore(':memory:'),
      secureCookies: options.secureCookies ?? false,
      log,
    });
  const clock = options.clock ?? createScaledClock(1);
  const watchers = createWatcherRegistry((id) =>
    createSessionWatcher({
      namespace: sessions.get(id)?.namespace ?? '',
      kubeconfig: () => sessions.get(id)?.kubeconfig ?? '',
      collections: COLLECTIONS,
      clock,
      log: (message, error) => log(`watch ${id}: ${message}`, error),
    }),
  );
  // The events stream's topics. A feature joins the stream with one entry here (and its payload
  // schema in src/protocol/session-events.ts); see sandbox/server/session-events.ts.
  const eventTopics: EventTopic[] = [
    createChecksTopic({
      onJudged: (context, verdicts) => progress.recordVerdicts(context.learnerId, verdicts),
    }),
    { name: 'workloads', build: (snapshot) => buildWorkloadsView(snapshot) },
  ];
  const eventStreams = createSessionEventStreams({
    watchers,
    topics: eventTopics,
    clock,
    ...(options.eventHeartbeatMs !== undefined ? { heartbeatMs: options.eventHeartbeatMs } : {}),
    log,
  });
  /** The learner credited for a session's passes (the browser's own cookie wins). */
  const learnerOf = (sessionId: string, learner: LearnerIdentity): string =>
    progress.learnerForSession(sessionId, learner);

  const endSession = async (id: string, reason: 'deleted' | 'expired'): Promise<void> => {
    terminals.end(id, reason);
    watchers.end(id, reason);
    progress.forgetSession(id);
    options.edits?.end(id);
    try {
      await options.onSessionEnded?.(id);
    } catch (error) {
      log(`cleaning up after session ${id} failed`, error);
    }
  };

  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pathname: string,
  ): Promise<void> {
    const route = matchApiRoute(req.method ?? 'GET', pathname);
    // Every API answer gives a browser without one its learner cookie (progress is per browser).
    const learner = progress.identify(req.headers.cookie);
    const learnerCookie = learner.setCookie ? [learner.setCookie] : [];
    if (learner.setCookie) res.setHeader('Set-Cookie', learnerCookie);
    switch (route.name) {
      case 'not-found':
        throw new ApiError(404, 'not-found', `No API route ${pathname}.`, 'GET /api lists the routes.');
      case 'method-not-allowed':
        throw new ApiError(
          405,
          'method-not-allowed',
          `${req.method} is not allowed on ${pathname}.`,
          `Use ${route.allow.join(' or ')}; GET /api lists the routes.`,
          { headers: { Allow: route.allow.join(', ') } },
        );
      case 'index':
        return sendJson(res, 200, {
          name: 'Rollout Lab sandbox API',
          backend: options.backend,
          routes: [
            {
              method: 'POST',
              path: '/api/sessions',
              body: '{"locale"?: "en" | "ko"}',
              answer: '201 session + token, sets the rl_session cookie',
            },
            {
              method: 'GET',
              path: '/api/sessions/current',
              answer: 'the session of the cookie or bearer token',
            },
            { method: 'GET', path: '/api/sessions/:id' },
            { method: 'GET', path: '/api/sessions/:id/kubeconfig', answer: 'YAML, for your own kubectl' },
            {
              method: 'POST',
              path: '/api/sessions/:id/reset',
              answer: 'empties the namespace and restores the files',
            },
            {
              method: 'GET',
              path: '/api/sessions/:id/checks?steps=a,b&locale=en|ko',
              answer: "each step: passed, failed or pending, with the checks' messages",
            },
            {
              method: 'GET',
              path: '/api/sessions/:id/files',
              answer: 'the exercise folder: paths and sizes',
            },
            {
              method: 'GET, PUT',
              path: '/api/sessions/:id/files/<path>',
              body: '{"content": "..."} with If-Match: "<version>" (or If-None-Match: * for a new file)',
              answer: 'the file with its version (ETag); 412 if it changed on disk since',
            },
            {
              method: 'GET',
              path: '/api/sessions/:id/schema',
              answer: "JSON Schema for manifests, from the cluster's OpenAPI v3",
            },
            {
              method: 'POST',
              path: '/api/sessions/:id/edits/:editId',
              body: '{"action": "save", "content": "..."} or {"action": "cancel"}',
              answer: '204; kubectl edit in the terminal goes on with the saved text, or cancels',
            },
            {
              method: 'GET',
              path: '/api/sessions/:id/events?steps=a,b&locale=en|ko',
              answer: 'server-sent events: checks (and other topics) whenever the namespace changes',
            },
            {
              method: 'GET',
              path: '/api/progress',
              answer: "the steps this browser's learner has passed (rl_learner cookie)",
            },
            { method: 'DELETE', path: '/api/progress', answer: 'start over: forget those steps' },
            { method: 'DELETE', path: '/api/sessions/:id' },
            {
              method: 'WebSocket',
              path: '/api/sessions/:id/terminal',
              answer: 'the terminal (JSON messages)',
            },
          ],
          authentication:
            'rl_session cookie, Authorization: Bearer <token>, or ?token=<token> on the terminal',
        });
      case 'health':
        return sendJson(res, 200, {
          status: 'ok',
          backend: options.backend,
          sessions: sessions.size,
          terminals: terminals.size,
          connections: sockets.connections,
          watchers: watchers.size,
          eventStreams: eventStreams.size,
        });
      case 'create': {
        const body = await readJsonBody(req, CreateSessionRequest);
        let session: SandboxSession;
        try {
          session = await sessions.create();
        } catch (error) {
          if (error instanceof SessionLimitError)
            throw new ApiError(
              503,
              'session-limit',
              error.message,
              'Try again in a few minutes, when idle sessions have expired, or ask the instructor to raise SANDBOX_MAX_SESSIONS.',
              { cause: error, headers: { 'Retry-After': '60' } },
            );
          if (error instanceof SessionManagerClosedError)
            throw new ApiError(
              503,
              'backend-unavailable',
              error.message,
              'Try again once the server is back.',
              {
                cause: error,
              },
            );
          const hint = hintOf(error);
          if (hint !== undefined)
            throw new ApiError(503, 'backend-unavailable', (error as Error).message, hint, { cause: error });
          throw error;
        }
        if (body.locale) options.onLocale?.(session.id, body.locale);
        progress.bindSession(session.id, learner.learnerId);
        const token = formatSessionToken(session.id, session.secret);
        const created: CreatedSession = { ...describe(session), token };
        return sendJson(res, 201, created, {
          Location: created.links.self,
          'Set-Cookie': [
            formatSessionCookie(token, {
              maxAgeSeconds: options.idleTimeoutMs / 1000,
              secure: options.secureCookies ?? false,
            }),
            ...learnerCookie,
          ],
        });
      }
      case 'current': {
        const session = currentSession(sourcesOf(req));
        sessions.touch(session.id);
        return sendJson(res, 200, describe(sessions.get(session.id) ?? session));
      }
      case 'show': {
        const session = authorize(sourcesOf(req), route.id);
        sessions.touch(session.id);
        return sendJson(res, 200, describe(sessions.get(session.id) ?? session));
      }
      case 'kubeconfig': {
        const session = authorize(sourcesOf(req), route.id);
        sessions.touch(session.id);
        res.writeHead(200, {
          'Content-Type': 'application/yaml; charset=utf-8',
          'Content-Disposition': `attachment; filename="rollout-lab-${session.namespace}.kubeconfig.yaml"`,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
          'Content-Length': String(Buffer.byteLength(session.kubeconfig)),
        });
        res.end(req.method === 'HEAD' ? undefined : session.kubeconfig);
        return;
      }
      case 'reset': {
        const session = authorize(sourcesOf(req), route.id);
        await readJsonBody(req, ResetSessionRequest);
        const fresh = await sessions.reset(session.id);
        watchers.restart(session.id);
        await terminals.reset(fresh);
        return sendJson(res, 200, describe(fresh));
      }
      case 'checks': {
        const session = authorize(sourcesOf(req), route.id);
        const { stepIds, locale } = readStepQuery(new URL(req.url ?? '/', 'http://localhost').searchParams, {
          requireSteps: true,
        });
        const requester = createKubeRequester(readInlineKubeconfig(session.kubeconfig), {
          timeoutMs: 10_000,
        });
        try {
          const snapshot = await takeNamespaceSnapshot(requester, session.namespace);
          const answer: StepChecksResponse = judgeSteps(stepIds, snapshot, locale);
          progress.recordVerdicts(learnerOf(session.id, learner), answer);
          return sendJson(res, 200, answer);
        } catch (error) {
          if (error instanceof SnapshotError || error instanceof KubeRequestError)
            throw new ApiError(
              503,
              'backend-unavailable',
              `Could not read the namespace: ${error.message}`,
              'Try again in a moment.',
              { cause: error },
            );
          throw error;
        } finally {
          requester.close();
        }
      }
      case 'events': {
        const session = authorize(sourcesOf(req), route.id);
        sessions.touch(session.id);
        const stream = { sessionId: session.id, namespace: session.namespace };
        return eventStreams.serve(req, res, { ...stream, learnerId: learnerOf(session.id, learner) });
      }
      case 'progress':
        if (req.method === 'DELETE') progress.clear(learner.learnerId);
        return sendJson(res, 200, progress.read(learner.learnerId));
      case 'files': {
        const session = authorize(sourcesOf(req), route.id);
        sessions.touch(session.id);
        return serveWorkdirTree(res, session.workdir);
      }
      case 'file': {
        const session = authorize(sourcesOf(req), route.id);
        sessions.touch(session.id);
        return serveWorkdirFile(req, res, session.workdir);
      }
      case 'schema': {
        const session = authorize(sourcesOf(req), route.id);
        return serveManifestSchema(req, res, schemas, session.kubeconfig);
      }
      case 'edit': {
        const session = authorize(sourcesOf(req), route.id);
        sessions.touch(session.id);
        return handleEditAction(req, res, options.edits, session.id, route.editId);
      }
      case 'delete': {
        const session = authorize(sourcesOf(req), route.id);
        terminals.end(session.id, 'deleted');
        await sessions.delete(session.id);
        await endSession(session.id, 'deleted');
        const headers: Record<string, string> = cookieNames(req, session.id)
          ? { 'Set-Cookie': formatClearedSessionCookie({ secure: options.secureCookies ?? false }) }
          : {};
        res.writeHead(204, { 'Cache-Control': 'no-store', ...headers });
        res.end();
        return;
      }
      case 'terminal':
        authorize(sourcesOf(req), route.id);
        throw new ApiError(
          426,
          'bad-request',
          'The terminal is a WebSocket.',
          'Open it with new WebSocket(...) or a WebSocket client; send {"type":"input","data":"..."} messages.',
          { headers: { Upgrade: 'websocket' } },
        );
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      throw new ApiError(400, 'bad-request', 'The request URL cannot be read.', 'Check the address.');
    }
    const filesPath = rawFilesApiPath(req.url);
    if (filesPath !== undefined) return handleApi(req, res, filesPath);
    if (pathname === '/api' || pathname.startsWith('/api/')) return handleApi(req, res, pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new ApiError(
        405,
        'method-not-allowed',
        `${req.method} is not allowed here.`,
        'Pages are read with GET; the API is under /api.',
        {
          headers: { Allow: 'GET, HEAD' },
        },
      );
    if (options.site && (await options.site.serve(req, res, pathname))) return;
    if (pathname === '/' || pathname === '/index.html') {
      const page = renderPlaceholderPage(options.backend);
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(page)),
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
  }

  const authorizeUpgrade = async (
    req: http.IncomingMessage,
    url: URL,
  ): Promise<TerminalSession | UpgradeRefusal> => {
    const route = matchApiRoute('GET', url.pathname);
    if (route.name !== 'terminal')
      return {
        status: 404,
        code: 'not-found',
        message: `No WebSocket at ${url.pathname}.`,
        hint: 'The terminal is at /api/sessions/:id/terminal.',
      };
    try {
      const session = authorize(
        {
          cookie: req.headers.cookie,
          authorization: req.headers.authorization,
          queryToken: url.searchParams.get('token'),
        },
        route.id,
      );
      sessions.touch(session.id);
      return session;
    } catch (error) {
      if (error instanceof ApiError)
        return { status: error.status, code: error.code, message: error.message, hint: error.hint };
      throw error;
    }
  };

  const sockets = createTerminalSockets({
    hub: terminals,
    authorize: authorizeUpgrade,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    log,
  });

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ApiError) {
        sendApiError(res, error);
        return;
      }
      log(`${req.method} ${req.url} failed`, error);
      sendApiError(
        res,
        new ApiError(
          500,
          'internal',
          'The server failed to handle the request.',
          'Try again; the server log has the details.',
        ),
      );
    });
  });
  httpServer.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  // Keep-alive connections from browsers must not hold a shutdown open.
  httpServer.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4321, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let sweeping = false;
  const expireIdleSessions = async (): Promise<string[]> => {
    const expired = await sessions.expireIdle();
    for (const id of expired) await endSession(id, 'expired');
    return expired;
  };
  const interval = options.expiryIntervalMs ?? 60_000;
  const sweep =
    interval > 0
      ? setInterval(() => {
          if (sweeping) return;
          sweeping = true;
          expireIdleSessions()
            .catch((error: unknown) => log('expiring idle sessions failed', error))
            .finally(() => {
              sweeping = false;
            });
        }, interval)
      : undefined;
  sweep?.unref();

  return {
    url: `http://${host}:${address.port}`,
    httpServer,
    sockets,
    expireIdleSessions,
    async close() {
      if (sweep) clearInterval(sweep);
      terminals.endAll('shutdown');
      eventStreams.closeAll();
      watchers.closeAll();
      if (!options.progress) progress.close();
      await sockets.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
