/**
 * Wires a learner shell to one session: its workdir, the real kubectl with its kubeconfig, curl
 * and tab completion through the API server with its own identity, and `kubectl edit` with the
 * page's editor when the server has the editor bridge. Every service here acts as
 * the session's ServiceAccount, never as the server's admin.
 */
import { join } from 'node:path';
import type { Clock } from '../cluster/clock.ts';
import type { EditChannel } from '../editor-bridge/channel.ts';
import { createNodeWorkspace, createShell } from '../shell/index.ts';
import type { EditBrokers } from './edit-broker.ts';
import { createHttpProxy, createListNames } from './http-proxy.ts';
import { createFollowingRequester } from './kube-request.ts';
import { createOpenEditor } from './kubectl-edit.ts';
import { createKubectlRunner, type KubectlRunnerOptions } from './kubectl-runner.ts';
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
  /**
   * The browser editor channel for `kubectl edit` (the editor bridge and the sessions' edit
   * brokers). Without it `kubectl edit` explains the alternative instead.
   */
  edits?: { channel: EditChannel; brokers: EditBrokers; timeoutMs: number };
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
    const runner: KubectlRunnerOptions = {
      binary: deps.kubectlBinary,
      kubeconfigPath: session.kubeconfigPath,
      cacheDir: sessionCacheDir(deps.cacheRoot, session.id),
      ...(deps.kubectlPath ? { path: deps.kubectlPath } : {}),
    };
    const kubectl = createKubectlRunner(runner);
    const openEditor = deps.edits
      ? createOpenEditor({
          runner,
          channel: deps.edits.channel,
          broker: deps.edits.brokers.of(session.id),
          timeoutMs: deps.edits.timeoutMs,
        })
      : undefined;
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
      ...(openEditor ? { openEditor } : {}),
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
