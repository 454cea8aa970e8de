/**
 * The kubeconfig backend: choosing a context, flattening it, and the errors that say what to fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BackendError } from '../../../sandbox/backends/backend.ts';
import {
  createKubeconfigBackend,
  readClusterAccess,
} from '../../../sandbox/backends/kubeconfig/kubeconfig-backend.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollout-lab-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
writeFileSync(join(dir, 'ca.crt'), CA);
writeFileSync(join(dir, 'token'), 'file-token\n');

const b64 = (text: string) => Buffer.from(text).toString('base64');
const kubeconfig = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'dev',
  clusters: [
    {
      name: 'dev-cluster',
      cluster: { server: 'https://dev.example:6443', 'certificate-authority': 'ca.crt' },
    },
    {
      name: 'class-cluster',
      cluster: { server: 'https://class.example', 'certificate-authority-data': b64(CA) },
    },
    { name: 'lab-cluster', cluster: { server: 'https://10.0.0.1:6443', 'insecure-skip-tls-verify': true } },
  ],
  users: [
    { name: 'dev-admin', user: { token: 'dev-token' } },
    { name: 'class-admin', user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } },
    { name: 'lab-admin', user: { tokenFile: 'token' } },
    {
      name: 'gke',
      user: {
        exec: { command: 'gke-gcloud-auth-plugin', apiVersion: 'client.authentication.k8s.io/v1beta1' },
      },
    },
  ],
  contexts: [
    { name: 'dev', context: { cluster: 'dev-cluster', user: 'dev-admin', namespace: 'team' } },
    { name: 'class', context: { cluster: 'class-cluster', user: 'class-admin' } },
    { name: 'lab', context: { cluster: 'lab-cluster', user: 'lab-admin' } },
    { name: 'cloud', context: { cluster: 'class-cluster', user: 'gke' } },
    { name: 'broken', context: { cluster: 'nowhere', user: 'dev-admin' } },
  ],
});
const path = join(dir, 'config');
writeFileSync(path, kubeconfig);

describe('readClusterAccess: which context, flattened', () => {
  const cases: {
    context: string | undefined;
    server: string;
    cluster: Record<string, unknown>;
    user: Record<string, unknown>;
    namespace?: string;
  }[] = [
    {
      context: undefined,
      server: 'https://dev.example:6443',
      cluster: { server: 'https://dev.example:6443', 'certificate-authority-data': b64(CA) },
      user: { token: 'dev-token' },
      namespace: 'team',
    },
    {
      context: 'class',
      server: 'https://class.example',
      cluster: { server: 'https://class.example', 'certificate-authority-data': b64(CA) },
      user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
    },
    {
      context: 'lab',
      server: 'https://10.0.0.1:6443',
      cluster: { server: 'https://10.0.0.1:6443', 'insecure-skip-tls-verify': true },
      user: { token: 'file-token' },
    },
  ];
  it.each(cases)('context $context', ({ context, server, cluster, user, namespace }) => {
    const access = readClusterAccess({ path, context });
    expect(access.server).toBe(server);
    const flat = parse(access.adminKubeconfig);
    const name = context ?? 'dev';
    expect(flat['current-context']).toBe(name);
    expect(flat.contexts).toHaveLength(1);
    expect(flat.clusters).toEqual([{ name: `${name}-cluster`, cluster }]);
    expect(flat.users).toEqual([{ name: `${name}-admin`, user }]);
    expect(flat.contexts[0].context.namespace).toBe(namespace);
    expect(access.description).toContain(`context "${name}" of ${path}`);
  });
});

describe('readClusterAccess: errors that say what to fix', () => {
  it.each([
    [{ path: join(dir, 'absent') }, /does not exist: set KUBECONFIG_PATH/],
    [
      { path, context: 'nope' },
      /context "nope" is not in the kubeconfig; it has: dev, class, lab, cloud, broken: .*SANDBOX_CONTEXT/,
    ],
    [
      { path, context: 'cloud' },
      /authenticates through gke-gcloud-auth-plugin, which the sandbox cannot run/,
    ],
    [{ path, context: 'broken' }, /names cluster "nowhere", which is not defined/],
  ])('%j', (config, message) => {
    let error: unknown;
    try {
      readClusterAccess(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('createKubeconfigBackend', () => {
  it('verifies the access it read before handing it out', async () => {
    const seen: string[] = [];
    const backend = createKubeconfigBackend({ path, context: 'class' }, async (access) => {
      seen.push(access.server);
    });
    expect(backend.name).toBe('kubeconfig');
    const access = await backend.start();
    expect(seen).toEqual(['https://class.example']);
    expect(access.timeScale).toBe(1);
    await backend.stop();
  });

  it('reports an unreachable cluster as a BackendError', async () => {
    const unreachable = join(dir, 'unreachable');
    writeFileSync(
      unreachable,
      stringify({
        'current-context': 'x',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    await expect(createKubeconfigBackend({ path: unreachable }).start()).rejects.toThrow(
      /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1: .*check that the cluster is running/,
    );
  });
});
