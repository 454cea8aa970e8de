/**
 * `npm start`: the sandbox server. Checks that kubectl is installed, starts the backend chosen by
 * SANDBOX_BACKEND (embedded by default), serves the site, the API and the terminal on
 * http://127.0.0.1:4321 (HOST, PORT), and on SIGINT or SIGTERM ends every session: on an external
 * cluster (kind, kubeconfig) their namespaces are deleted, so a class leaves nothing behind.
 *
 * Environment:
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | HOST, PORT | 127.0.0.1, 4321 | where to listen |
 * | SANDBOX_BACKEND | embedded | `embedded`, `kind` or `kubeconfig` (see sandbox/backends) |
 * | SANDBOX_IDLE_MINUTES | 60 | a session untouched this long is deleted |
 * | SANDBOX_MAX_SESSIONS | 200 | sessions at once; more get 503 |
 * | SANDBOX_STATE_DIR | a new temp folder | session workdirs and kubectl caches |
 * | SANDBOX_DATA_DIR | .data | what lasts across restarts: learners' progress (progress.sqlite) |
 * | SANDBOX_SITE_DIR | dist | the built site |
 * | SANDBOX_SECURE_COOKIES | (unset) | `1` behind an HTTPS proxy |
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BackendError,
  backendConfigFromEnv,
  createBackend,
  DEFAULT_EXERCISES_DIR,
  DEFAULT_MAX_SESSIONS,
} from '../backends/backend.ts';
import { createScaledClock } from '../cluster/clock.ts';
import { startEditChannel } from '../editor-bridge/channel.ts';
import {
  createProgressService,
  openProgressStore,
  PROGRESS_DB_FILE,
  ProgressStoreError,
} from '../progress/index.ts';
import { SessionManager } from '../sessions/index.ts';
import { startSandboxServer } from './app.ts';
import { DEFAULT_EDIT_TIMEOUT_MS, EditBrokers } from './edit-broker.ts';
import { createKubeRequester, readInlineKubeconfig } from './kube-request.ts';
import {
  chooseKubectlBinary,
  discoverKubectls,
  findKubectlPlugins,
  MissingKubectlError,
  parseServerMinor,
} from './kubectl-binary.ts';
import { KUBECTL_PATH } from './kubectl-runner.ts';
import { createSessionShellFactory, formatBanner, sessionCacheDir } from './session-shell.ts';
import { createStaticSite } from './static-site.ts';
import { TerminalHub } from './terminals.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** A setting that cannot be used: say which and what is expected. */
class ConfigError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'ConfigError';
    this.hint = hint;
  }
}

function readNumber(name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!check(value))
    throw new ConfigError(`${name}=${text} is not ${expected}`, `Set ${name} to ${expected}, or unset it.`);
  return value;
}

function fail(error: unknown): never {
  const hint = (error as { hint?: unknown }).hint;
  process.stderr.write(`\nrollout-lab: cannot start: ${(error as Error).message ?? String(error)}\n`);
  if (typeof hint === 'string') process.stderr.write(`  ${hint}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const host = process.env.HOST || '127.0.0.1';
  const port = readNumber(
    'PORT',
    4321,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    'a port number (0-65535)',
  );
  const idleMinutes = readNumber('SANDBOX_IDLE_MINUTES', 60, (n) => n > 0, 'a positive number of minutes');
  const maxSessions = readNumber(
    'SANDBOX_MAX_SESSIONS',
    DEFAULT_MAX_SESSIONS,
    (n) => Number.isInteger(n) && n >= 1,
    'a whole number of at least 1',
  );
  const idleTimeoutMs = idleMinutes * 60_000;

  // Progress first: a database that cannot be used stops the start before a cluster is made.
  const progressPath = join(resolve(ROOT, process.env.SANDBOX_DATA_DIR || '.data'), PROGRESS_DB_FILE);
  const progress = createProgressService({
    store: openProgressStore(progressPath),
    secureCookies: process.env.SANDBOX_SECURE_COOKIES === '1',
    log: (message, error) =>
      process.stderr.write(
        `[progress] ${message}${error ? `: ${(error as Error).message ?? String(error)}` : ''}\n`,
      ),
  });

  const kubectls = discoverKubectls(process.env);
  if (kubectls.versioned.length === 0 && !kubectls.onPath) throw new MissingKubectlError();

  const backend = createBackend(backendConfigFromEnv(process.env));
  process.stdout.write(`Starting the ${backend.name} backend…\n`);
  const access = await backend.start();

  // The kubectl that matches the cluster, as /usr/bin/kubectl would pick it, chosen once.
  const admin = createKubeRequester(readInlineKubeconfig(access.adminKubeconfig));
  let serverMinor: number | undefined;
  try {
    const version = await admin.get('/version');
    serverMinor = version.status === 200 ? parseServerMinor(version.body) : undefined;
  } catch {
    serverMinor = undefined;
  } finally {
    admin.close();
  }
  const kubectl = chooseKubectlBinary(kubectls.versioned, serverMinor, kubectls.onPath);
  if (!kubectl) throw new MissingKubectlError();
  for (const plugin of findKubectlPlugins(KUBECTL_PATH))
    process.stderr.write(`warning: ${plugin} is a kubectl plugin on the terminal's PATH; remove it.\n`);

  const stateDir = process.env.SANDBOX_STATE_DIR
    ? resolve(process.env.SANDBOX_STATE_DIR)
    : await mkdtemp(join(tmpdir(), 'rollout-lab-'));
  const workRoot = join(stateDir, 'sessions');
  const cacheRoot = join(stateDir, 'kubectl-cache');
  await mkdir(workRoot, { recursive: true, mode: 0o700 });
  await mkdir(cacheRoot, { recursive: true, mode: 0o700 });

  // The server sweeps idle sessions itself (sweepIntervalMs 0 here), so it learns which ended
  // and can close their terminals.
  const sessions = new SessionManager({
    access,
    workRoot,
    exercisesDir: DEFAULT_EXERCISES_DIR,
    idleTimeoutMs,
    maxSessions,
    sweepIntervalMs: 0,
  });
  const locales = new Map<string, 'en' | 'ko'>();
  // kubectl edit: the editor bridge's socket, and each session's open edits shown in its page.
  const editChannel = await startEditChannel();
  const edits = new EditBrokers({
    clock: createScaledClock(1),
    send: (id, message) => terminals.send(id, message),
  });
  const terminals = new TerminalHub({
    createShell: createSessionShellFactory({
      kubectlBinary: kubectl.path,
      cacheRoot,
      clock: createScaledClock(1),
      banner: (session) => formatBanner(session.namespace, locales.get(session.id)),
      edits: { channel: editChannel, brokers: edits, timeoutMs: DEFAULT_EDIT_TIMEOUT_MS },
    }),
    onActivity: (id) => sessions.touch(id),
    replayOnAttach: (id) => edits.pending(id),
  });

  const siteDir = resolve(ROOT, process.env.SANDBOX_SITE_DIR ?? 'dist');
  const site = existsSync(siteDir) ? await createStaticSite(siteDir) : undefined;

  const server = await startSandboxServer({
    sessions,
    terminals,
    backend: backend.name,
    idleTimeoutMs,
    host,
    port,
    ...(site ? { site } : {}),
    secureCookies: process.env.SANDBOX_SECURE_COOKIES === '1',
    progress,
    edits,
    onLocale: (id, locale) => locales.set(id, locale),
    onSessionEnded: async (id) => {
      locales.delete(id);
      await rm(sessionCacheDir(cacheRoot, id), { recursive: true, force: true });
    },
    log: (message, error) =>
      process.stderr.write(
        `[server] ${message}${error ? `: ${(error as Error).message ?? String(error)}` : ''}\n`,
      ),
  });

  process.stdout.write(
    [
      '',
      `Rollout Lab is running at ${server.url}/`,
      `  backend: ${backend.name}${access.description ? ` (${access.description})` : ''}`,
      `  kubectl: ${kubectl.path}`,
      `  site:    ${site ? siteDir : 'not built yet (placeholder page; build it with npm run build)'}`,
      `  sessions: up to ${maxSessions}, deleted after ${idleMinutes} idle minutes`,
      `  progress: ${progressPath}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      process.stderr.write('Stopping now without cleaning up.\n');
      process.exit(130);
    }
    stopping = true;
    const external = backend.name !== 'embedded';
    process.stdout.write(
      `\n${signal}: stopping${external && sessions.size > 0 ? `, deleting ${sessions.size} session namespace(s)` : ''}…\n`,
    );
    try {
      await server.close();
      await editChannel.close();
      await sessions.shutdown({ deleteNamespaces: external });
      await backend.stop();
      progress.close();
      if (!process.env.SANDBOX_STATE_DIR) await rm(stateDir, { recursive: true, force: true });
      process.exit(0);
    } catch (error) {
      process.stderr.write(`rollout-lab: shutdown incomplete: ${(error as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Expected failures say what to do; anything else is a bug, shown with its stack.
  if (
    error instanceof BackendError ||
    error instanceof MissingKubectlError ||
    error instanceof ConfigError ||
    error instanceof ProgressStoreError
  )
    fail(error);
  process.stderr.write(`rollout-lab: cannot start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
