/**
 * The namespace watcher against the embedded cluster over real HTTPS, as a learner session (its
 * own ServiceAccount token, its Role): a change reaches the listeners within the debounce; a
 * watch resumed after the store's history moved on gets 410 Gone and the watcher lists again; a
 * connection cut in the middle is re-established with back-off and nothing is missed. The
 * connection problems are made by a TCP relay between the watcher and the API server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBackend,
  DEFAULT_EXERCISES_DIR,
  type SandboxBackend,
} from '../../../sandbox/backends/backend.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { createScaledClock } from '../../../sandbox/cluster/clock.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import { COLLECTIONS } from '../../../sandbox/server/step-checks.ts';
import { type Session, SessionManager } from '../../../sandbox/sessions/index.ts';
import { createSessionWatcher, type NamespaceWatcher } from '../../../sandbox/watch/index.ts';
import { createWatchApi } from '../../../sandbox/watch/kube-watch.ts';

/** A TCP relay that can hold the bytes clients send, or cut every connection. */
class Relay {
  readonly server: net.Server;
  readonly sockets = new Set<{ client: net.Socket; upstream: net.Socket; held: Buffer[] }>();
  holding = false;
  constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      const entry = { client, upstream, held: [] as Buffer[] };
      this.sockets.add(entry);
      client.on('data', (data: Buffer) => {
        if (this.holding) entry.held.push(data);
        else upstream.write(data);
      });
      upstream.on('data', (data: Buffer) => client.write(data));
      const close = (): void => {
        this.sockets.delete(entry);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
  }
  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)),
    );
  }
  release(): void {
    this.holding = false;
    for (const entry of this.sockets) for (const data of entry.held.splice(0)) entry.upstream.write(data);
  }
  cut(): number {
    const n = this.sockets.size;
    for (const entry of [...this.sockets]) {
      entry.client.destroy();
      entry.upstream.destroy();
    }
    return n;
  }
  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let cluster: EmbeddedCluster;
let backend: SandboxBackend;
let manager: SessionManager;
let session: Session;
let dir: string;
const watchers: NamespaceWatcher[] = [];

beforeAll(async () => {
  // A short history so that a handful of changes makes an old resourceVersion expire (410).
  cluster = await startEmbeddedCluster({ timeScale: 20, nodes: 1, watchHistoryLimit: 40 });
  dir = mkdtempSync(join(tmpdir(), 'rl-watch-it-'));
  const adminPath = join(dir, 'admin.kubeconfig');
  writeFileSync(adminPath, cluster.adminKubeconfig(), { mode: 0o600 });
  backend = createBackend({ backend: 'kubeconfig', path: adminPath });
  manager = new SessionManager({
    access: await backend.start(),
    workRoot: join(dir, 'work'),
    exercisesDir: DEFAULT_EXERCISES_DIR,
    sweepIntervalMs: 0,
  });
  session = await manager.create();
});

afterAll(async () => {
  for (const watcher of watchers) watcher.stop();
  await manager?.shutdown({ deleteNamespaces: false });
  await backend?.stop();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const configMap = (name: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } }) as KubeObject;

/** Resolves on the first change whose snapshot satisfies `accept`, with the time it took. */
function nextChange(watcher: NamespaceWatcher, accept: () => boolean, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no matching change'));
    }, timeoutMs);
    const off = watcher.onChange(() => {
      if (!accept()) return;
      clearTimeout(timer);
      off();
      resolve(performance.now() - started);
    });
  });
}

/** Moves the store's revision on by `n` changes to one ConfigMap (the quota allows few objects). */
function churn(n: number): void {
  const api = cluster.controlPlane.api;
  if (!api.find(RESOURCES.configmaps, session.namespace, 'churn'))
    api.create(RESOURCES.configmaps, session.namespace, configMap('churn'));
  for (let i = 0; i < n; i++)
    api.update(RESOURCES.configmaps, session.namespace, {
      ...configMap('churn'),
      data: { k: String(i) },
    } as KubeObject);
}

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata.name);

describe('namespace watcher on the embedded cluster', () => {
  it('lists as the session and reports a change within the debounce', async () => {
    const watcher = createSessionWatcher({
      namespace: session.namespace,
      kubeconfig: () => session.kubeconfig,
      collections: COLLECTIONS,
      clock: createScaledClock(1),
      debounceMs: 100,
    });
    watchers.push(watcher);
    watcher.start();
    await watcher.whenSynced();
    expect(Object.keys(watcher.snapshot()).sort()).toEqual(Object.keys(COLLECTIONS).sort());
    expect(watcher.snapshot().configMaps).toEqual([]);

    const seen = nextChange(watcher, () => names(watcher.snapshot().configMaps).includes('first'));
    cluster.controlPlane.api.create(RESOURCES.configmaps, session.namespace, configMap('first'));
    const ms = await seen;
    // 100 ms of debounce plus the trip through HTTPS; far below the page's one-second promise.
    expect(ms).toBeLessThan(600);
    expect(watcher.stats.lists).toBe(Object.keys(COLLECTIONS).length);

    const gone = nextChange(watcher, () => !names(watcher.snapshot().configMaps).includes('first'));
    cluster.controlPlane.api.delete(RESOURCES.configmaps, session.namespace, 'first');
    await gone;
    watcher.stop();
  });

  it('answers a watch from an expired resourceVersion with 410 (an ERROR event), which the client reports as expired', async () => {
    const api = createWatchApi(() => session.kubeconfig);
    try {
      const path = COLLECTIONS.configMaps.replace('{ns}', session.namespace);
      const list = await api.list(path, new AbortController().signal);
      churn(45);
      const end = await api.watch(path, list.resourceVersion, () => {}, new AbortController().signal);
      expect(end).toMatchObject({ kind: 'expired' });
      expect((end as { message: string }).message).toContain('too old');
    } finally {
      api.close();
    }
  });

  describe('through a relay', () => {
    let relay: Relay;
    let watcher: NamespaceWatcher;
    beforeAll(async () => {
      const url = new URL(cluster.url);
      relay = new Relay({ host: url.hostname, port: Number(url.port) });
      const port = await relay.listen();
      const relayed = () => session.kubeconfig.replace(cluster.url, `https://127.0.0.1:${port}`);
      expect(relayed()).not.toBe(session.kubeconfig);
      watcher = createSessionWatcher({
        namespace: session.namespace,
        kubeconfig: relayed,
        collections: COLLECTIONS,
        clock: createScaledClock(1),
        initialBackoffMs: 200,
        // The server ends each watch after a second, so the watcher resumes from its last version often.
        api: { watchTimeoutSeconds: 1 },
      });
      watchers.push(watcher);
      watcher.start();
      await watcher.whenSynced();
    });
    afterAll(async () => {
      watcher.stop();
      await relay.close();
    });

    it('lists again after 410 Gone when it resumes a watch whose history has moved on', async () => {
      const before = watcher.stats.expired;
      // Hold what the watcher sends: its resumed watches wait while the history rolls past them.
      relay.holding = true;
      await new Promise((resolve) => setTimeout(resolve, 1600));
      churn(45);
      cluster.controlPlane.api.create(RESOURCES.configmaps, session.namespace, configMap('after-gone'));
      const seen = nextChange(watcher, () => names(watcher.snapshot().configMaps).includes('after-gone'));
      relay.release();
      await seen;
      expect(watcher.stats.expired).toBeGreaterThan(before);
      expect(names(watcher.snapshot().configMaps)).toEqual(['after-gone', 'churn']);
      expect(watcher.snapshot().configMaps[1]?.data).toEqual({ k: '44' });
    });

    it('reconnects with back-off after the connections are cut, and sees what changed meanwhile', async () => {
      const failures = watcher.stats.failures;
      expect(relay.cut()).toBeGreaterThan(0);
      cluster.controlPlane.api.create(RESOURCES.configmaps, session.namespace, configMap('while-cut'));
      await nextChange(watcher, () => names(watcher.snapshot().configMaps).includes('while-cut'));
      expect(watcher.stats.failures).toBeGreaterThan(failures);
    });
  });
});
