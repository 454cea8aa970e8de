/**
 * Learner sessions end to end on the embedded cluster through the kubeconfig backend, with the real
 * kubectl: session A runs the seed exercise, session B cannot see or touch A's namespace nor the
 * cluster, the quota refuses the 21st Pod, reset empties and restores, delete removes everything,
 * idle sessions expire, the cap holds.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import {
  createKubeClient,
  type KubeClient,
  waitForNamespaceGone,
} from '../../../sandbox/kube-client/index.ts';
import { type Session, SessionLimitError, SessionManager } from '../../../sandbox/sessions/index.ts';
import { EXERCISES_DIR, eventually, type SessionLab, startSessionLab } from './harness.ts';

let lab: SessionLab;
let admin: KubeClient;
beforeAll(async () => {
  lab = await startSessionLab();
  admin = createKubeClient(lab.access.adminKubeconfig);
});
afterAll(async () => {
  admin?.close();
  await lab?.stop();
});

const rows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

describe('two learners on one cluster', () => {
  let manager: SessionManager;
  let a: Session;
  let b: Session;
  beforeAll(async () => {
    manager = new SessionManager({
      access: lab.access,
      workRoot: join(lab.dir, 'work'),
      exercisesDir: EXERCISES_DIR,
      sweepIntervalMs: 0,
    });
    [a, b] = await Promise.all([manager.create(), manager.create()]);
  });
  afterAll(() => manager.shutdown({ deleteNamespaces: true }));

  it('gives each session its own namespace, workdir and private kubeconfig outside the workdir', () => {
    expect(a.namespace).not.toBe(b.namespace);
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.secret).toMatch(/^[\w-]{43}$/);
    expect(manager.size).toBe(2);
    expect(readFileSync(join(a.workdir, 'vweb/vweb-v1.yaml'), 'utf8')).toBe(
      readFileSync(join(EXERCISES_DIR, 'vweb/vweb-v1.yaml'), 'utf8'),
    );
    expect(relative(a.workdir, a.kubeconfigPath).startsWith('..')).toBe(true);
    expect(dirname(a.kubeconfigPath)).toBe(dirname(a.workdir));
    expect(statSync(a.kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(a.kubeconfigPath, 'utf8')).toBe(a.kubeconfig);
    expect(a.kubeconfig).toContain(`namespace: ${a.namespace}`);
    expect(a.kubeconfig).not.toContain(lab.cluster.adminToken);
  });

  it('authenticates a session only with its own secret', () => {
    expect(manager.authenticate(a.id, a.secret)).toBe(a);
    expect(manager.authenticate(a.id, b.secret)).toBeUndefined();
    expect(manager.authenticate(a.id, '')).toBeUndefined();
    expect(manager.authenticate('0'.repeat(32), a.secret)).toBeUndefined();
  });

  it('labels the namespace with its session and puts the quota in it', async () => {
    const namespace = await admin.get(`/api/v1/namespaces/${a.namespace}`);
    expect(namespace.metadata.labels?.['rollout-lab/session']).toBe(a.id);
    const quota = await admin.get(`/api/v1/namespaces/${a.namespace}/resourcequotas/learner-quota`);
    expect(quota.spec?.hard).toMatchObject({ pods: '20', 'count/deployments.apps': '10' });
  });

  it('session A runs the seed exercise with the real kubectl', async () => {
    const applied = await lab.kubectl(a, ['apply', '-f', 'vweb/']);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('service/vweb created\ndeployment.apps/vweb created\n');
    const ready = await eventually(
      'two ready vweb Pods',
      () => lab.kubectl(a, ['get', 'rs', '-l', 'app=vweb']),
      (r) => rows(r.stdout)[1]?.slice(1, 4).join(' ') === '2 2 2',
    );
    expect(rows(ready.stdout)[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(rows(ready.stdout)[1]?.[0]).toMatch(/^vweb-[a-z0-9]{8,10}$/);

    const scaled = await lab.kubectl(a, ['apply', '-f', 'vweb/update/vweb-v1-scale.yaml']);
    expect(scaled.stdout).toBe('deployment.apps/vweb configured\n');
    await eventually(
      'three ready vweb Pods in the same ReplicaSet',
      () => lab.kubectl(a, ['get', 'rs', '-l', 'app=vweb', '--no-headers']),
      (r) => rows(r.stdout).length === 1 && rows(r.stdout)[0]?.slice(1, 4).join(' ') === '3 3 3',
    );
    const history = await lab.kubectl(a, ['rollout', 'history', 'deploy/vweb']);
    expect(history.stdout).toBe('deployment.apps/vweb \nREVISION  CHANGE-CAUSE\n1         <none>\n\n');

    const updated = await lab.kubectl(a, ['set', 'image', 'deployment/vweb', 'web=kiamol/ch09-vweb:v2']);
    expect(updated.stdout).toBe('deployment.apps/vweb image updated\n');
    const second = await lab.kubectl(a, ['rollout', 'history', 'deploy/vweb']);
    expect(second.stdout).toContain('1         <none>\n2         <none>\n');
  });

  it('session B is Forbidden in A’s namespace and at the cluster scope, yet works in its own', async () => {
    const pods = await lab.kubectl(b, ['get', 'po', '-n', a.namespace]);
    expect(pods.code).not.toBe(0);
    expect(pods.stderr).toContain('Error from server (Forbidden)');
    expect(pods.stderr).toContain('cannot list resource "pods"');
    expect(pods.stderr).toContain(`in the namespace "${a.namespace}"`);

    // kubectl scale words a refused read its own way: "error: no objects passed to scale …".
    const scale = await lab.kubectl(b, ['scale', 'deploy/vweb', '--replicas=0', '-n', a.namespace]);
    expect(scale.code).not.toBe(0);
    expect(scale.stderr).toContain('deployments.apps "vweb" is forbidden');
    expect(scale.stderr).toContain(
      `cannot get resource "deployments" in API group "apps" in the namespace "${a.namespace}"`,
    );

    const namespace = await lab.kubectl(b, ['create', 'namespace', 'sneaky']);
    expect(namespace.code).not.toBe(0);
    expect(namespace.stderr).toContain('Error from server (Forbidden)');
    expect(namespace.stderr).toContain('cannot create resource "namespaces"');
    expect(namespace.stderr).toContain('at the cluster scope');

    const nodes = await lab.kubectl(b, ['get', 'nodes']);
    expect(nodes.stderr).toContain('cannot list resource "nodes" in API group "" at the cluster scope');

    const quota = await lab.kubectl(b, ['delete', 'quota', 'learner-quota']);
    expect(quota.stderr).toContain('cannot delete resource "resourcequotas"');

    const own = await lab.kubectl(b, ['get', 'po']);
    expect(own.code).toBe(0);
    expect(own.stderr).toBe(`No resources found in ${b.namespace} namespace.\n`);
  });

  it('the quota refuses Pods past 20 with the API server’s message', async () => {
    await lab.kubectl(a, ['scale', 'deploy/vweb', '--replicas=25']);
    await eventually(
      '20 Pods in A’s namespace',
      () => lab.kubectl(a, ['get', 'po', '--no-headers']),
      (r) => r.stdout.trim().split('\n').length >= 20,
    );
    const extra = await lab.kubectl(a, ['run', 'extra', '--image=kiamol/ch09-vweb:v1']);
    expect(extra.code).not.toBe(0);
    expect(extra.stderr).toMatch(
      /^Error from server \(Forbidden\): pods "extra" is forbidden: exceeded quota: learner-quota, requested: pods=1, used: pods=20, limited: pods=20/,
    );
    const events = await eventually(
      'a FailedCreate event naming the quota',
      () => lab.kubectl(a, ['get', 'events']),
      (r) => r.stdout.includes('exceeded quota: learner-quota'),
    );
    expect(events.stdout).toContain('FailedCreate');
  });

  it('reset empties A’s namespace and restores an edited file; A can start over', async () => {
    const file = join(a.workdir, 'vweb/vweb-v1.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('replicas: 2', 'replicas: 9'));
    writeFileSync(join(a.workdir, 'mine.yaml'), 'kind: Nothing\n');
    const session = await manager.reset(a.id);
    expect(session).toBe(a);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(existsSync(join(a.workdir, 'mine.yaml'))).toBe(false);
    await eventually(
      'an empty namespace',
      () => lab.kubectl(a, ['get', 'deploy,rs,po,svc,cm,secret']),
      (r) => r.stdout === '' && r.stderr === `No resources found in ${a.namespace} namespace.\n`,
    );
    const again = await lab.kubectl(a, ['apply', '-f', 'vweb/']);
    expect(again.stdout).toBe('service/vweb created\ndeployment.apps/vweb created\n');
    // B's namespace was not touched by A's reset.
    expect((await lab.kubectl(b, ['auth', 'can-i', 'list', 'pods'])).stdout).toBe('yes\n');
  });

  it('deleting A removes its namespace, workdir and access; B carries on', async () => {
    await manager.delete(a.id);
    expect(manager.get(a.id)).toBeUndefined();
    expect(manager.authenticate(a.id, a.secret)).toBeUndefined();
    expect(manager.size).toBe(1);
    expect(existsSync(a.workdir)).toBe(false);
    expect(existsSync(dirname(a.workdir))).toBe(false);
    expect(await waitForNamespaceGone(admin, a.namespace, { timeoutMs: 30_000 })).toBe(true);
    // The kubeconfig file went with the session folder; the token in a downloaded copy is dead too.
    const copy = join(lab.dir, 'a-downloaded.kubeconfig');
    writeFileSync(copy, a.kubeconfig);
    const after = await lab.kubectl(a, ['get', 'po', '--kubeconfig', copy], lab.dir);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('Unauthorized');
    expect((await lab.kubectl(b, ['get', 'po'])).code).toBe(0);
    await expect(manager.reset(a.id)).rejects.toThrow(`There is no session ${a.id}`);
    await manager.delete(a.id);
  });
});

describe('lifecycle on an injected clock', () => {
  it('expires idle sessions and only those', async () => {
    const clock = createManualClock();
    const manager = new SessionManager({
      access: lab.access,
      workRoot: join(lab.dir, 'idle'),
      exercisesDir: EXERCISES_DIR,
      clock,
      idleTimeoutMs: 10 * 60_000,
      sweepIntervalMs: 0,
    });
    try {
      const first = await manager.create();
      const second = await manager.create();
      clock.advance(6 * 60_000);
      manager.touch(second.id);
      expect(second.lastSeenAt).toBe(clock.now());
      clock.advance(5 * 60_000);
      expect(await manager.expireIdle()).toEqual([first.id]);
      expect(manager.get(first.id)).toBeUndefined();
      expect(manager.get(second.id)).toBe(second);
      expect(existsSync(first.workdir)).toBe(false);
      expect(await waitForNamespaceGone(admin, first.namespace, { timeoutMs: 30_000 })).toBe(true);
      expect(await manager.expireIdle()).toEqual([]);
      clock.advance(5 * 60_000);
      expect(await manager.expireIdle()).toEqual([second.id]);
      expect(manager.size).toBe(0);
    } finally {
      await manager.shutdown({ deleteNamespaces: true });
    }
  });

  it('sweeps on its own every interval of the clock', async () => {
    const clock = createManualClock();
    const manager = new SessionManager({
      access: lab.access,
      workRoot: join(lab.dir, 'sweep'),
      exercisesDir: EXERCISES_DIR,
      clock,
      idleTimeoutMs: 60_000,
      sweepIntervalMs: 30_000,
    });
    try {
      const session = await manager.create();
      // Step like a clock that ticks, letting each sweep finish: at 30 s the session is fresh, at
      // 60 s it has been idle for the whole timeout.
      for (let step = 0; step < 3; step++) {
        clock.advance(30_000);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await eventually(
        'the sweep to remove the idle session',
        async () => manager.size,
        (n) => n === 0,
        5000,
      );
      // The session leaves the manager at once; its folder and namespace follow.
      await eventually(
        'the workdir to go',
        async () => existsSync(session.workdir),
        (exists) => !exists,
        5000,
      );
      expect(await waitForNamespaceGone(admin, session.namespace, { timeoutMs: 30_000 })).toBe(true);
    } finally {
      await manager.shutdown({ deleteNamespaces: true });
    }
  });

  it('renews the token half way through its lifetime, rewriting the kubeconfig kubectl reads', async () => {
    const clock = createManualClock();
    const manager = new SessionManager({
      access: lab.access,
      workRoot: join(lab.dir, 'renew'),
      exercisesDir: EXERCISES_DIR,
      clock,
      idleTimeoutMs: 60 * 60_000,
      sweepIntervalMs: 0,
    });
    try {
      const session = await manager.create();
      const before = session.kubeconfig;
      clock.advance(59 * 60_000);
      manager.touch(session.id);
      expect(session.kubeconfig).toBe(before);
      // 2 h granted at time ×1: renewal falls due after one hour.
      clock.advance(2 * 60_000);
      manager.touch(session.id);
      await eventually(
        'a renewed kubeconfig',
        async () => session.kubeconfig,
        (k) => k !== before,
        5000,
      );
      expect(readFileSync(session.kubeconfigPath, 'utf8')).toBe(session.kubeconfig);
      expect((await lab.kubectl(session, ['get', 'po'])).code).toBe(0);
    } finally {
      await manager.shutdown({ deleteNamespaces: true });
    }
  });

  it('takes back the namespace of a session whose files could not be written', async () => {
    const manager = new SessionManager({
      access: lab.access,
      workRoot: join(lab.dir, 'broken'),
      exercisesDir: join(lab.dir, 'no-such-folder'),
      maxSessions: 1,
      sweepIntervalMs: 0,
    });
    try {
      const before = await admin.list('/api/v1/namespaces', { labelSelector: 'rollout-lab/session' });
      await expect(manager.create()).rejects.toThrow(/no-such-folder/);
      // The failed attempt does not hold the only place under the cap.
      await expect(manager.create()).rejects.toThrow(/no-such-folder/);
      expect(manager.size).toBe(0);
      const after = await admin.list('/api/v1/namespaces', { labelSelector: 'rollout-lab/session' });
      const left = after.items.filter(
        (ns) =>
          !ns.metadata.deletionTimestamp &&
          !before.items.some((old) => old.metadata.name === ns.metadata.name),
      );
      expect(left.map((ns) => ns.metadata.name)).toEqual([]);
      // Nor its folder.
      expect(readdirSync(join(lab.dir, 'broken'))).toEqual([]);
    } finally {
      await manager.shutdown({ deleteNamespaces: true });
    }
  });

  it('answers SessionLimitError at the cap, counting sessions still being made', async () => {
    const manager = new SessionManager({
      access: lab.access,
      workRoot: join(lab.dir, 'cap'),
      exercisesDir: EXERCISES_DIR,
      maxSessions: 2,
      sweepIntervalMs: 0,
    });
    try {
      const results = await Promise.allSettled([manager.create(), manager.create(), manager.create()]);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).toHaveLength(1);
      const error = (refused[0] as PromiseRejectedResult).reason as SessionLimitError;
      expect(error).toBeInstanceOf(SessionLimitError);
      expect(error.limit).toBe(2);
      expect(error.message).toMatch(/^The sandbox is full: it already runs 2 learner sessions/);
      await expect(manager.create()).rejects.toBeInstanceOf(SessionLimitError);
      const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      await manager.delete(made[0]!.id);
      const next = await manager.create();
      expect(manager.size).toBe(2);
      await manager.shutdown({ deleteNamespaces: true });
      expect(existsSync(next.workdir)).toBe(false);
      for (const session of [made[1]!, next])
        expect(await waitForNamespaceGone(admin, session.namespace, { timeoutMs: 30_000 })).toBe(true);
      await expect(manager.create()).rejects.toThrow('shutting down');
    } finally {
      await manager.shutdown({ deleteNamespaces: true });
    }
  });
});
