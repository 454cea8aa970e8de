/**
 * The pieces integration tests put around the HTTP API of the sandbox server: an embedded backend
 * with a real session manager, a terminal hub for tests that drive kubectl directly (no shell),
 * and a session's kubeconfig downloaded as a learner would, as an environment for the real kubectl.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend, DEFAULT_EXERCISES_DIR, type SandboxBackend } from '../../sandbox/backends/backend.ts';
import { TerminalHub } from '../../sandbox/server/terminals.ts';
import { SessionManager } from '../../sandbox/sessions/index.ts';

/** An embedded cluster and the session manager on it; `stop` ends both. */
export interface EmbeddedSessions {
  backend: SandboxBackend;
  sessions: SessionManager;
  stop(): Promise<void>;
}

/** Starts the embedded backend and a session manager whose workdirs live under `stateDir/sessions`. */
export async function startEmbeddedSessions(options: {
  stateDir: string;
  timeScale: number;
  maxSessions: number;
}): Promise<EmbeddedSessions> {
  const backend = createBackend({ backend: 'embedded', timeScale: options.timeScale, nodes: 2 });
  const sessions = new SessionManager({
    access: await backend.start(),
    workRoot: join(options.stateDir, 'sessions'),
    exercisesDir: DEFAULT_EXERCISES_DIR,
    maxSessions: options.maxSessions,
    sweepIntervalMs: 0,
  });
  return {
    backend,
    sessions,
    async stop() {
      await sessions.shutdown({ deleteNamespaces: false });
      await backend.stop();
    },
  };
}

/** A terminal hub for tests that run kubectl themselves: opening a shell is a test error. */
export function terminalsWithoutShell(): TerminalHub {
  return new TerminalHub({
    createShell: async () => {
      throw new Error('this test drives kubectl directly, not the terminal');
    },
  });
}

/**
 * Downloads the session's kubeconfig with its token into `dir` and returns an environment for
 * kubectl that uses it (its own HOME, so caches stay apart).
 */
export async function sessionKubectlEnv(
  serverUrl: string,
  session: { id: string; token: string },
  dir: string,
): Promise<Record<string, string>> {
  const response = await fetch(`${serverUrl}/api/sessions/${session.id}/kubeconfig`, {
    headers: { Authorization: `Bearer ${session.token}` },
  });
  if (!response.ok) throw new Error(`kubeconfig of ${session.id}: HTTP ${response.status}`);
  const file = join(dir, `${session.id}.kubeconfig`);
  writeFileSync(file, await response.text());
  return { KUBECONFIG: file, HOME: join(dir, `home-${session.id}`), PATH: '/usr/bin:/bin' };
}
