/**
 * The kind backend end to end against the stand-in kind (create, reuse, image loading, delete) and
 * in dry-run mode against a stored transcript of the commands it would run.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type KindBackendConfig } from '../../../sandbox/backends/backend.ts';
import { createDryRunHost, createExecaHost } from '../../../sandbox/backends/kind/kind-cli.ts';
import { createKubeClient } from '../../../sandbox/kube-client/client.ts';
import { createFakeKind, type FakeKind } from './kind-harness.ts';

const config = (overrides: Partial<KindBackendConfig> = {}): KindBackendConfig => ({
  backend: 'kind',
  clusterName: 'rollout-lab-test',
  nodes: 1,
  deleteOnStop: false,
  loadImages: true,
  waitSeconds: 60,
  dryRun: false,
  ...overrides,
});

describe('kind backend on the stand-in kind', () => {
  let fake: FakeKind;
  const log: string[] = [];
  beforeAll(() => {
    fake = createFakeKind(['kiamol/ch09-vweb:v1', 'nginx:1.17-alpine', 'busybox:latest']);
  });
  afterAll(() => fake.cleanup());

  const backendFor = (overrides: Partial<KindBackendConfig> = {}) =>
    createBackend(config(overrides), {
      kindHost: createExecaHost({ env: fake.env }),
      log: (line) => log.push(line),
    });

  it('creates the cluster with a config file, loads only the chapter images the host has, and gives a working kubeconfig', async () => {
    const backend = backendFor({ nodes: 2 });
    expect(backend.name).toBe('kind');
    const access = await backend.start();
    const calls = fake.invocations().map((c) => `${c.cmd} ${c.args.join(' ')}`);
    expect(calls.slice(0, 3)).toEqual([
      'kind version',
      'docker version --format {{.Server.Version}}',
      'kind get clusters',
    ]);
    expect(calls[3]).toMatch(
      /^kind create cluster --name rollout-lab-test --config \S+\/kind-config\.yaml --kubeconfig \S+\/kubeconfig --wait 60s$/,
    );
    // busybox is on the host but not in the chapter: not loaded.
    expect(calls.filter((c) => c.startsWith('kind load'))).toEqual([
      'kind load docker-image kiamol/ch09-vweb:v1 --name rollout-lab-test',
      'kind load docker-image nginx:1.17-alpine --name rollout-lab-test',
    ]);
    expect(calls.filter((c) => c.startsWith('docker image inspect'))).toHaveLength(9);
    expect(readFileSync(`${fake.clusterDir('rollout-lab-test')}/kind-config.yaml`, 'utf8')).toContain(
      'nodes:\n  - role: control-plane\n  - role: worker\n',
    );
    expect(log).toContain('Creating kind cluster "rollout-lab-test" (the first time takes a minute or two)');
    const client = createKubeClient(access.adminKubeconfig);
    try {
      expect(access.server).toBe(client.server);
      expect((await client.get<{ gitVersion: string }>('/version')).gitVersion).toMatch(/^v1\.32/);
    } finally {
      client.close();
    }
    // Not configured to delete: the cluster stays for the next start.
    await backend.stop();
    expect(fake.invocations().some((c) => c.args[0] === 'delete')).toBe(false);
  });

  it('reuses an existing cluster without creating it again', async () => {
    fake.clearLog();
    const backend = backendFor({ loadImages: false, deleteOnStop: true });
    const access = await backend.start();
    expect(fake.invocations().map((c) => `${c.cmd} ${c.args.join(' ')}`)).toEqual([
      'kind version',
      'docker version --format {{.Server.Version}}',
      'kind get clusters',
      'kind get kubeconfig --name rollout-lab-test',
    ]);
    expect(access.description).toBe(`kind cluster "rollout-lab-test" at ${access.server}`);
    expect(log).toContain('Reusing kind cluster "rollout-lab-test"');
    await backend.stop();
    expect(fake.invocations().at(-1)).toEqual({
      cmd: 'kind',
      args: ['delete', 'cluster', '--name', 'rollout-lab-test'],
    });
  });

  it('kind:down: a dry run prints the commands; an absent cluster is nothing to delete', async () => {
    const { execa } = await import('execa');
    const down = resolve(import.meta.dirname, '../../../sandbox/backends/kind/down.ts');
    const dry = await execa(process.execPath, [down, '--dry-run', '--name', 'x'], { env: fake.env });
    expect(dry.stdout).toBe('kind get clusters\nkind delete cluster --name x');
    const real = await execa(process.execPath, [down, '--name', 'absent'], { env: fake.env });
    expect(real.stdout).toBe('There is no kind cluster named "absent": nothing to delete.');
  });
});

describe('kind backend dry run', () => {
  it('records the commands of a fresh start and a deleting stop, as stored', async () => {
    const host = createDryRunHost({
      hostImages: ['kiamol/ch09-vweb:v1', 'kiamol/ch09-vweb:v2', 'nginx:1.17-alpine'],
    });
    const backend = createBackend(
      config({
        clusterName: 'rollout-lab',
        nodes: 2,
        nodeImage: 'kindest/node:v1.32.2',
        deleteOnStop: true,
        dryRun: true,
      }),
      { kindHost: host },
    );
    const access = await backend.start();
    await backend.stop();
    const stored = readFileSync(
      resolve(import.meta.dirname, '../../fixtures/kind/dry-run.transcript'),
      'utf8',
    );
    expect(host.transcript.join('\n')).toBe(stored.trimEnd());
    expect(access.server).toBe('https://127.0.0.1:6443');
  });

  it('records only the look-ups when the cluster exists and nothing is on the host', async () => {
    const lines: string[] = [];
    const host = createDryRunHost({ existingClusters: ['other', 'rollout-lab'] }, (line) => lines.push(line));
    await createBackend(config({ clusterName: 'rollout-lab', dryRun: true }), { kindHost: host }).start();
    expect(host.transcript.filter((line) => !line.startsWith('docker image inspect'))).toEqual([
      'kind version',
      'docker version --format {{.Server.Version}}',
      'kind get clusters',
      'kind get kubeconfig --name rollout-lab',
    ]);
    expect(lines).toEqual(host.transcript);
  });

  it('prints each line through the log when built from configuration alone', async () => {
    const lines: string[] = [];
    await createBackend(config({ dryRun: true, loadImages: false }), {
      log: (line) => lines.push(line),
    }).start();
    expect(lines[0]).toBe('[dry run] kind version');
    expect(lines).toContain('[dry run] kind get kubeconfig --name rollout-lab-test');
  });
});
