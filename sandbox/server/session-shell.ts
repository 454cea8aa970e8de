/**
 * Wires a learner shell to one session: its workdir, the real kubectl with its kubeconfig, curl
 * and tab completion through the API server with its own identity. Every service here acts as
 * the session's ServiceAccount, never as the server's admin.
 */
import { join } from 'node:path';
import type { Clock } from '../cluster/clock.ts';
import { createNodeWorkspace, createShell } from '../shell/index.ts';
import { createHttpProxy, createListNames } from './http-proxy.ts';
import { createFollowingRequester } from './kube-request.ts';
import { createKubectlRunner } from './kubectl-runner.ts';
import type { SessionShellFactory, TerminalSession } from './terminals.ts';

/** What every session's shell shares. */
export interface SessionShellDependencies {
  /** The kubectl binary the terminal runs. */
  kubectlBinary: string;
  /** Folder holding one cache folder per session (kubectl's HOME), outside every workdir. */
  cacheRoot: string;
  /** Real time for watch and curl's timeout. */
  clock: Clock;
  /** The greeting printed before the first prompt. */
  banner?: (session: TerminalSession) => string | undefined;
  /** PATH for kubectl (tests); the runner's default otherwise. */
  kubectlPath?: string;
}

/** A session's kubectl cache folder (its HOME): `<cacheRoot>/<session id>`. */
export function sessionCacheDir(cacheRoot: string, sessionId: string): string {
  return join(cacheRoot, sessionId);
}

/** The greeting of a new shell, in the session's language. */
export function formatBanner(namespace: string, locale: 'en' | 'ko' = 'en'): string {
  return locale === 'ko'
    ? `Rollout Lab 샌드박스입니다. kubectl은 네임스페이스 ${namespace}에서 동작합니다. 사용할 수 있는 명령은 help로 확인하세요.\n`
    : `Welcome to the Rollout Lab sandbox. kubectl works in namespace ${namespace}. Type help to see the commands.\n`;
}

/** A factory of session shells for the terminal hub. */
export function createSessionShellFactory(deps: SessionShellDependencies): SessionShellFactory {
  return async (session, io) => {
    const workspace = await createNodeWorkspace(session.workdir);
    // The session object is the manager's own: its kubeconfig changes when the token is renewed.
    const requester = createFollowingRequester(() => session.kubeconfig);
    const kubectl = createKubectlRunner({
      binary: deps.kubectlBinary,
      kubeconfigPath: session.kubeconfigPath,
      cacheDir: sessionCacheDir(deps.cacheRoot, session.id),
      ...(deps.kubectlPath ? { path: deps.kubectlPath } : {}),
    });
    const banner = deps.banner?.(session);
    const shell = createShell({
      workspace,
      kubectl,
      http: createHttpProxy(requester),
      listNames: createListNames(requester, session.namespace),
      clock: deps.clock,
      namespace: session.namespace,
      write: io.write,
      columns: io.columns,
      rows: io.rows,
      ...(banner ? { banner } : {}),
    });
    return {
      shell,
      dispose() {
        shell.dispose();
        requester.close();
      },
    };
  };
}
