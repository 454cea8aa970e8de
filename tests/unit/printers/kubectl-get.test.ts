/**
 * The real kubectl against a Table from printTable: the columns a learner sees must match the
 * learner's notes from a real cluster, character for character.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from './fake-apiserver.ts';
import {
  makeClusterIPService,
  makeLoadBalancerService,
  makePod,
  makeVwebDeployment,
  makeVwebReplicaSet,
  NOW,
  podConditions,
  webStatus,
} from './fixtures.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const run = promisify(execFile);

function writeKubeconfig(dir: string, server: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: lab',
      '  cluster:',
      `    server: ${server}`,
      'contexts:',
      '- name: lab',
      '  context:',
      '    cluster: lab',
      '    namespace: default',
      '    user: learner',
      'current-context: lab',
      'users:',
      '- name: learner',
      '  user: {}',
      '',
    ].join('\n'),
  );
  return path;
}

describe.skipIf(!existsSync(KUBECTL))('kubectl 1.33 get, printing our Tables', () => {
  let server: FakeApiServer;
  let home: string;
  let kubeconfig: string;

  beforeAll(async () => {
    const otherNamespace = makeVwebReplicaSet();
    otherNamespace.metadata.namespace = 'lab-3f9k2';
    otherNamespace.metadata.name = 'vweb-7c675fdd96';
    server = await startFakeApiServer(
      [
        {
          group: 'apps',
          version: 'v1',
          plural: 'replicasets',
          kind: 'ReplicaSet',
          shortNames: ['rs'],
          namespaced: true,
          objects: [makeVwebReplicaSet(), otherNamespace],
        },
        {
          group: 'apps',
          version: 'v1',
          plural: 'deployments',
          kind: 'Deployment',
          shortNames: ['deploy'],
          namespaced: true,
          objects: [makeVwebDeployment()],
        },
        {
          group: '',
          version: 'v1',
          plural: 'services',
          kind: 'Service',
          shortNames: ['svc'],
          namespaced: true,
          objects: [makeLoadBalancerService(), makeClusterIPService()],
        },
        {
          group: '',
          version: 'v1',
          plural: 'pods',
          kind: 'Pod',
          shortNames: ['po'],
          namespaced: true,
          objects: [
            makePod({
              status: {
                conditions: podConditions(false),
                containerStatuses: [webStatus({ state: { waiting: { reason: 'ContainerCreating' } } })],
              },
            }),
          ],
        },
      ],
      () => NOW,
    );
    home = mkdtempSync(join(tmpdir(), 'printers-kubectl-'));
    kubeconfig = writeKubeconfig(home, server.url);
  });

  afterAll(async () => {
    await server?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs a kubectl binary against the fake server with a private HOME and discovery cache. */
  async function runKubectl(binary: string, args: string[]): Promise<string> {
    const cacheDir = join(home, 'cache', binary.slice(binary.lastIndexOf('.') + 1));
    const { stdout } = await run(binary, [...args, '--kubeconfig', kubeconfig, '--cache-dir', cacheDir], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      timeout: 30_000,
    });
    return stdout;
  }

  const kubectl = (...args: string[]) => runKubectl(KUBECTL, args);

  it('prints `get rs` exactly as the learner saw it on a real cluster', async () => {
    expect(await kubectl('get', 'rs')).toBe(
      [
        'NAME              DESIRED   CURRENT   READY   AGE',
        'vweb-6bd7464487   2         2         1       9s',
        '',
      ].join('\n'),
    );
    const list = server.requests.find(
      (request) => request.path === '/apis/apps/v1/namespaces/default/replicasets',
    );
    expect(list?.accept).toMatch(/^application\/json;as=Table;v=v1;g=meta\.k8s\.io,/);
    expect(list?.query.has('includeObject')).toBe(false);
  });

  it('adds LABELS from the row metadata for --show-labels', async () => {
    expect(await kubectl('get', 'rs', '--show-labels')).toBe(
      [
        'NAME              DESIRED   CURRENT   READY   AGE   LABELS',
        'vweb-6bd7464487   2         2         1       9s    app=vweb,pod-template-hash=6bd7464487',
        '',
      ].join('\n'),
    );
  });

  it('shows the priority-1 columns for -o wide', async () => {
    expect(await kubectl('get', 'rs', '-o', 'wide')).toBe(
      [
        'NAME              DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                SELECTOR',
        'vweb-6bd7464487   2         2         1       9s    web          kiamol/ch09-vweb:v1   app=vweb,pod-template-hash=6bd7464487',
        '',
      ].join('\n'),
    );
  });

  it('adds NAMESPACE for --all-namespaces from the row metadata', async () => {
    expect(await kubectl('get', 'rs', '-A')).toBe(
      [
        'NAMESPACE   NAME              DESIRED   CURRENT   READY   AGE',
        'default     vweb-6bd7464487   2         2         1       9s',
        'lab-3f9k2   vweb-7c675fdd96   2         2         1       9s',
        '',
      ].join('\n'),
    );
  });

  it('sorts with --sort-by, asking for whole objects', async () => {
    const before = server.requests.length;
    const output = await kubectl('get', 'rs', '-A', '--sort-by=.metadata.name', '--no-headers');
    expect(output.split('\n')[0]).toMatch(/^default\s+vweb-6bd7464487\s/);
    const list = server.requests
      .slice(before)
      .find((request) => request.path === '/apis/apps/v1/replicasets');
    expect(list?.query.get('includeObject')).toBe('Object');
  });

  it('prints pod STATUS and READY from our summary', async () => {
    expect(await kubectl('get', 'po')).toBe(
      [
        'NAME                    READY   STATUS              RESTARTS   AGE',
        'vweb-6bd7464487-x2x9p   0/1     ContainerCreating   0          2m5s',
        '',
      ].join('\n'),
    );
  });

  it('prints a Deployment of 3 with 2 available', async () => {
    expect(await kubectl('get', 'deploy')).toBe(
      [
        'NAME   READY   UP-TO-DATE   AVAILABLE   AGE',
        'vweb   2/3     3            2           6m48s',
        '',
      ].join('\n'),
    );
  });

  it('prints services with <none>, localhost and node ports, and SELECTOR when wide', async () => {
    expect(await kubectl('get', 'svc', '-o', 'wide')).toBe(
      [
        'NAME            TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)          AGE   SELECTOR',
        'vweb            LoadBalancer   10.96.120.8   localhost     8090:31234/TCP   9s    app=vweb',
        'vweb-internal   ClusterIP      10.96.44.21   <none>        80/TCP           3m    app=vweb,tier=web',
        '',
      ].join('\n'),
    );
  });

  const installed = ['27', '28', '29', '30', '31', '32', '33']
    .map((minor) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`)
    .filter((path) => existsSync(path));

  it.each(installed)('prints the same `get rs` with %s', async (binary) => {
    const stdout = await runKubectl(binary, ['get', 'rs']);
    expect(stdout).toBe(
      [
        'NAME              DESIRED   CURRENT   READY   AGE',
        'vweb-6bd7464487   2         2         1       9s',
        '',
      ].join('\n'),
    );
  });
});
