/**
 * Learner sessions: creating, finding, authenticating, resetting and ending them. A session is a
 * namespace with its own ServiceAccount, Role, RoleBinding, token and ResourceQuota, a kubeconfig
 * for that token, and a workdir with a fresh copy of the chapter's exercise files.
 *
 * On disk, per session (the kubeconfig sits beside the workdir, where the learner's `cat` cannot
 * reach it):
 *   <workRoot>/<id>/            0700
 *   <workRoot>/<id>/kubeconfig  0600
 *   <workRoot>/<id>/ch09/       the exercise files
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterAccess } from '../backends/types.ts';
import { type Clock, createScaledClock } from '../cluster/clock.ts';
import { createKubeClient, type KubeClient } from '../kube-client/client.ts';
import type { ResolvedCluster } from '../kube-client/kubeconfig.ts';
import { SessionLimitError, SessionManagerClosedError, SessionNotFoundError } from './errors.ts';
import { DEFAULT_QUOTA } from './learner-access.ts';
import {
  deleteNamespace,
  emptyNamespace,
  type ProvisionedNamespace,
  provisionNamespace,
  renderSessionKubeconfig,
  requestLearnerToken,
  tokenSecondsFor,
} from './provision.ts';
import { type FileTree, readFileTree, restoreFileTree, writeFileTree } from './workdir.ts';

/** One learner's session. */
export interface Session {
  /** 32 hex characters from crypto.randomBytes: the URL's session id. */
  id: string;
  /** 43 base64url characters from crypto.randomBytes: proves the browser owns the session. */
  secret: string;
  namespace: string;
  /** The learner's copy of the exercise files; the shell's home folder. */
  workdir: string;
  /** The learner's kubeconfig (YAML); replaced when the token is renewed. */
  kubeconfig: string;
  /** Where that kubeconfig is written (outside the workdir). */
  kubeconfigPath: string;
  createdAt: number;
  lastSeenAt: number;
}

/** How to run sessions. */
export interface SessionManagerOptions {
  access: ClusterAccess;
  /** Folder under which each session gets its own folder. */
  workRoot: string;
  /** The chapter's exercise files, copied into each workdir. */
  exercisesDir: string;
  /** Time for idle expiry (the wall clock by default). */
  clock?: Clock;
  /** A session unused this long is removed; 60 minutes by default. */
  idleTimeoutMs?: number;
  /** At most this many sessions at once; 200 by default. */
  maxSessions?: number;
  /** ResourceQuota hard limits per session; DEFAULT_QUOTA by default. */
  quota?: Record<string, string>;
  /** Random numbers in [0, 1) for namespace names (not for ids or secrets, which use crypto). */
  random?: () => number;
  /** How often to remove idle sessions and renew tokens on `clock`; 60 s by default, 0 turns it off. */
  sweepIntervalMs?: number;
  /** How long delete() waits for the namespace to be gone; 2 s by default. */
  namespaceDeleteWaitMs?: number;
  /** Where background failures (a token renewal, a namespace that would not delete) are reported. */
  log?: (message: string, error?: unknown) => void;
}

interface SessionRecord {
  session: Session;
  sessionDir: string;
  /** On `clock`: when to ask for a fresh token (half way through the current one's real lifetime). */
  renewAt: number;
  renewing?: Promise<void>;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60 * 60_000;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares two strings in time independent of where they differ (digests have equal length). */
export function secretsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** Runs learner sessions on one cluster. */
export class SessionManager {
  readonly #options: SessionManagerOptions;
  readonly #admin: KubeClient;
  readonly #cluster: ResolvedCluster;
  readonly #clock: Clock;
  readonly #idleTimeoutMs: number;
  readonly #maxSessions: number;
  readonly #quota: Readonly<Record<string, string>>;
  readonly #random: () => number;
  readonly #timeScale: number;
  readonly #log: (message: string, error?: unknown) => void;
  readonly #sessions = new Map<string, SessionRecord>();
  #creating = 0;
  #closed = false;
  #exercises: Promise<FileTree> | undefined;
  #cancelSweep: (() => void) | undefined;
  #sweeping: Promise<void> | undefined;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    this.#admin = createKubeClient(options.access.adminKubeconfig);
    this.#cluster = this.#admin.kubeconfig.cluster;
    this.#clock = options.clock ?? createScaledClock(1);
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#maxSessions = options.maxSessions ?? 200;
    this.#quota = options.quota ?? DEFAULT_QUOTA;
    this.#random = options.random ?? (() => randomInt(0, 2 ** 32) / 2 ** 32);
    this.#timeScale = options.access.timeScale ?? 1;
    this.#log =
      options.log ??
      ((message, error) =>
        process.stderr.write(
          `[sessions] ${message}${error ? `: ${(error as Error).message ?? error}` : ''}\n`,
        ));
    this.#scheduleSweep();
  }

  /** How many sessions exist (not counting ones being created). */
  get size(): number {
    return this.#sessions.size;
  }

  /** Creates a session: provisions its namespace and writes its workdir and kubeconfig. */
  async create(): Promise<Session> {
    if (this.#closed) throw new SessionManagerClosedError();
    // Count sessions in the making too, or a burst of requests could all pass the check.
    if (this.#sessions.size + this.#creating >= this.#maxSessions)
      throw new SessionLimitError(this.#maxSessions);
    this.#creating++;
    const id = randomBytes(16).toString('hex');
    const sessionDir = join(this.#options.workRoot, id);
    let namespace: string | undefined;
    try {
      const tokenSeconds = tokenSecondsFor(this.#idleTimeoutMs, this.#timeScale);
      const workdir = join(sessionDir, 'ch09');
      // Wait for every part to finish, failed or not, so a failure in one never leaves the other
      // (a namespace still being made) behind unseen.
      const [made, ...written] = await Promise.allSettled([
        provisionNamespace(this.#admin, {
          sessionId: id,
          random: this.#random,
          quota: this.#quota,
          tokenSeconds,
        }),
        this.#exerciseTree().then((tree) => writeFileTree(tree, workdir)),
        mkdir(sessionDir, { recursive: true, mode: 0o700 }),
      ]);
      if (made.status === 'fulfilled') namespace = made.value.namespace;
      for (const part of [made, ...written]) if (part.status === 'rejected') throw part.reason;
      const provisioned = (made as PromiseFulfilledResult<ProvisionedNamespace>).value;
      const kubeconfig = renderSessionKubeconfig(this.#cluster, provisioned.namespace, provisioned.token);
      const kubeconfigPath = join(sessionDir, 'kubeconfig');
      await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
      const now = this.#clock.now();
      const session: Session = {
        id,
        secret: randomBytes(32).toString('base64url'),
        namespace: provisioned.namespace,
        workdir,
        kubeconfig,
        kubeconfigPath,
        createdAt: now,
        lastSeenAt: now,
      };
      if (this.#closed) throw new SessionManagerClosedError();
      this.#sessions.set(id, {
        session,
        sessionDir,
        renewAt: this.#renewTime(now, provisioned.expirationSeconds),
      });
      return session;
    } catch (error) {
      if (namespace) await deleteNamespace(this.#admin, namespace, 0).catch(() => {});
      await rm(sessionDir, { recursive: true, force: true }).catch(() => {});
      throw error;
    } finally {
      this.#creating--;
    }
  }

  /** The session with this id, or undefined. Does not count as activity. */
  get(id: string): Session | undefined {
    return this.#sessions.get(id)?.session;
  }

  /** The session when `secret` is its secret; compared in constant time. */
  authenticate(id: string, secret: string): Session | undefined {
    const record = this.#sessions.get(id);
    // Compare against something even for an unknown id, so timing says nothing about the secret.
    const matches = secretsMatch(secret, record?.session.secret ?? '\u0000');
    return record && matches ? record.session : undefined;
  }

  /** Marks activity: the idle timeout starts again. Renews the token in the background when due. */
  touch(id: string): void {
    const record = this.#sessions.get(id);
    if (!record) return;
    record.session.lastSeenAt = this.#clock.now();
    this.#renewIfDue(record);
  }

  /** Empties the session's namespace and restores its exercise files. */
  async reset(id: string): Promise<Session> {
    const record = this.#sessions.get(id);
    if (!record) throw new SessionNotFoundError(id);
    const tree = await this.#exerciseTree();
    await Promise.all([
      emptyNamespace(this.#admin, record.session.namespace),
      restoreFileTree(tree, record.session.workdir),
    ]);
    this.touch(id);
    return record.session;
  }

  /**
   * Ends a session: it is gone from the manager at once; its namespace is deleted (waiting briefly
   * for the cluster to finish) and its folder removed. Unknown ids are ignored.
   */
  async delete(id: string): Promise<void> {
    const record = this.#sessions.get(id);
    if (!record) return;
    this.#sessions.delete(id);
    await this.#release(record, this.#options.namespaceDeleteWaitMs ?? 2000);
  }

  /** Removes every session idle for the idle timeout or longer; returns their ids. */
  async expireIdle(): Promise<string[]> {
    const now = this.#clock.now();
    const idle = [...this.#sessions.values()].filter(
      (r) => now - r.session.lastSeenAt >= this.#idleTimeoutMs,
    );
    for (const record of idle) this.#sessions.delete(record.session.id);
    await Promise.all(idle.map((record) => this.#release(record, 0)));
    for (const record of this.#sessions.values()) this.#renewIfDue(record);
    return idle.map((record) => record.session.id);
  }

  /**
   * Stops the manager: no more sessions; every session folder is removed and, when asked (external
   * clusters), every session namespace deleted without waiting for the cluster to finish.
   */
  async shutdown(options: { deleteNamespaces: boolean }): Promise<void> {
    this.#closed = true;
    this.#cancelSweep?.();
    await this.#sweeping;
    const records = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(
      records.map(async (record) => {
        await record.renewing?.catch(() => {});
        if (options.deleteNamespaces)
          await deleteNamespace(this.#admin, record.session.namespace, 0).catch((error: unknown) =>
            this.#log(`could not delete namespace ${record.session.namespace}`, error),
          );
        await rm(record.sessionDir, { recursive: true, force: true });
      }),
    );
    this.#admin.close();
  }

  async #release(record: SessionRecord, waitMs: number): Promise<void> {
    await Promise.all([
      deleteNamespace(this.#admin, record.session.namespace, waitMs).catch((error: unknown) =>
        this.#log(`could not delete namespace ${record.session.namespace}`, error),
      ),
      rm(record.sessionDir, { recursive: true, force: true }),
    ]);
  }

  #exerciseTree(): Promise<FileTree> {
    this.#exercises ??= readFileTree(this.#options.exercisesDir);
    // A failed read (folder missing) should not stick: the next create tries again.
    this.#exercises.catch(() => {
      this.#exercises = undefined;
    });
    return this.#exercises;
  }

  /** Half of the token's lifetime in real time, on the manager's clock. */
  #renewTime(now: number, grantedSeconds: number): number {
    return now + (grantedSeconds * 1000) / this.#timeScale / 2;
  }

  #renewIfDue(record: SessionRecord): void {
    if (record.renewing || this.#clock.now() < record.renewAt) return;
    const { session } = record;
    record.renewing = (async () => {
      const issued = await requestLearnerToken(
        this.#admin,
        session.namespace,
        tokenSecondsFor(this.#idleTimeoutMs, this.#timeScale),
      );
      const kubeconfig = renderSessionKubeconfig(this.#cluster, session.namespace, issued.token);
      // Write beside and rename, so a kubectl starting now reads the old file or the new, never half.
      const next = `${session.kubeconfigPath}.next`;
      await writeFile(next, kubeconfig, { mode: 0o600 });
      await rename(next, session.kubeconfigPath);
      session.kubeconfig = kubeconfig;
      record.renewAt = this.#renewTime(this.#clock.now(), issued.expirationSeconds);
    })()
      .catch((error: unknown) => {
        if (this.#sessions.has(session.id))
          this.#log(`could not renew the token of session ${session.id}`, error);
      })
      .finally(() => {
        record.renewing = undefined;
      });
  }

  #scheduleSweep(): void {
    const interval = this.#options.sweepIntervalMs ?? 60_000;
    if (interval <= 0 || this.#closed) return;
    this.#cancelSweep = this.#clock.setTimer(() => {
      // Re-arm first, so sweeps keep their rhythm however long one takes; skip a beat while the
      // previous sweep still runs rather than stack them.
      this.#scheduleSweep();
      if (this.#sweeping) return;
      this.#sweeping = this.expireIdle()
        .then(() => {})
        .catch((error: unknown) => this.#log('idle sweep failed', error))
        .finally(() => {
          this.#sweeping = undefined;
        });
    }, interval);
  }
}
