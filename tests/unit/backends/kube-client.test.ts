/**
 * The kube-client: kubeconfig resolution, error parsing, and real calls against an embedded API
 * server over HTTPS (token, CA, insecure mode, typed errors, waiting for a namespace to go).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import {
  createKubeClient,
  KubeApiError,
  type KubeClient,
  KubeConnectionError,
  KubeconfigError,
  parseErrorBody,
  resolveKubeconfig,
  waitForNamespaceGone,
  withQuery,
} from '../../../sandbox/kube-client/index.ts';

describe('withQuery', () => {
  it.each([
    ['/api/v1/pods', {}, '/api/v1/pods'],
    ['/api/v1/pods', { limit: 5, continue: undefined }, '/api/v1/pods?limit=5'],
    ['/api/v1/pods?watch=1', { labelSelector: 'app=vweb' }, '/api/v1/pods?watch=1&labelSelector=app%3Dvweb'],
    [
      '/x',
      { gracePeriodSeconds: 0, dryRun: 'All', orphan: false },
      '/x?gracePeriodSeconds=0&dryRun=All&orphan=false',
    ],
  ])('%s %j → %s', (path, query, expected) => {
    expect(withQuery(path, query)).toBe(expected);
  });
});

describe('parseErrorBody', () => {
  it.each([
    [
      404,
      JSON.stringify({
        kind: 'Status',
        reason: 'NotFound',
        message: 'namespaces "x" not found',
        details: { name: 'x' },
      }),
      { statusCode: 404, reason: 'NotFound', message: 'namespaces "x" not found', details: { name: 'x' } },
    ],
    [
      403,
      JSON.stringify({
        kind: 'Status',
        reason: 'Forbidden',
        message: 'pods is forbidden: User "u" cannot list',
      }),
      { statusCode: 403, reason: 'Forbidden', message: 'pods is forbidden: User "u" cannot list' },
    ],
    [
      502,
      '<html>Bad gateway</html>',
      { statusCode: 502, reason: 'BadGateway', message: 'GET /p: 502 Bad Gateway: <html>Bad gateway</html>' },
    ],
    [401, '', { statusCode: 401, reason: 'Unauthorized', message: 'GET /p: 401 Unauthorized' }],
  ])('%i %s', (status, body, expected) => {
    const error = parseErrorBody(status, body, 'GET', '/p');
    expect(error).toBeInstanceOf(KubeApiError);
    expect({
      statusCode: error.statusCode,
      reason: error.reason,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    }).toEqual(expected);
  });
});

describe('resolveKubeconfig', () => {
  const config = (user: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    stringify({
      'current-context': 'c',
      clusters: [
        { name: 'k', cluster: { server: 'https://k:6443', 'tls-server-name': 'kubernetes', ...extra } },
      ],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'k', user: 'u', namespace: 'lab-1' } }],
    });
  it('reads server, TLS name, namespace and token', () => {
    expect(resolveKubeconfig(config({ token: 't' }))).toEqual({
      contextName: 'c',
      clusterName: 'k',
      userName: 'u',
      namespace: 'lab-1',
      cluster: { server: 'https://k:6443', insecureSkipTlsVerify: false, tlsServerName: 'kubernetes' },
      user: { token: 't' },
    });
  });
  it.each([
    ['no current context', 'contexts: []\n', /has no current-context/],
    ['not YAML', 'a: [', /not valid YAML/],
    ['basic auth', config({ username: 'a', password: 'b' }), /basic authentication/],
    ['auth provider', config({ 'auth-provider': { name: 'oidc' } }), /authenticates through oidc/],
    [
      'missing CA file',
      config({ token: 't' }, { 'certificate-authority': '/nonexistent/ca.crt' }),
      /cannot read the certificate-authority file \/nonexistent\/ca.crt/,
    ],
  ])('%s is refused', (_, text, message) => {
    expect(() => resolveKubeconfig(text)).toThrow(KubeconfigError);
    expect(() => resolveKubeconfig(text)).toThrow(message);
  });
});

describe('against an embedded API server', () => {
  let cluster: EmbeddedCluster;
  let client: KubeClient;
  beforeAll(async () => {
    cluster = await startEmbeddedCluster({ timeScale: 20 });
    client = createKubeClient(cluster.adminKubeconfig());
  });
  afterAll(async () => {
    client.close();
    await cluster.stop();
  });

  it('creates, reads, patches, lists and deletes', async () => {
    const created = await client.create('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kc-test', labels: { a: '1' } },
    });
    expect(created.metadata.uid).toBeTruthy();
    await client.create('/api/v1/namespaces/kc-test/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'one' },
      data: { k: 'v' },
    });
    const patched = await client.patch('/api/v1/namespaces/kc-test/configmaps/one', { data: { k: 'w' } });
    expect(patched.data).toEqual({ k: 'w' });
    const list = await client.list('/api/v1/namespaces', { labelSelector: 'a=1' });
    expect(list.items.map((ns) => ns.metadata.name)).toEqual(['kc-test']);
    await client.delete('/api/v1/namespaces/kc-test/configmaps/one');
    const gone = await client.get('/api/v1/namespaces/kc-test/configmaps/one').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(KubeApiError);
    expect(gone).toMatchObject({ statusCode: 404, reason: 'NotFound', method: 'GET' });
    await client.delete('/api/v1/namespaces/kc-test');
    expect(await waitForNamespaceGone(client, 'kc-test', { timeoutMs: 20_000 })).toBe(true);
  });

  it('types a conflict as 409 AlreadyExists with the server’s message', async () => {
    const error = await client
      .create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 409,
      reason: 'AlreadyExists',
      message: 'namespaces "default" already exists',
    });
  });

  it('waitForNamespaceGone gives up with false when the namespace stays', async () => {
    expect(await waitForNamespaceGone(client, 'default', { timeoutMs: 60 })).toBe(false);
  });

  it('answers a wrong token with a 401 KubeApiError', async () => {
    const other = createKubeClient(cluster.adminKubeconfig().replace(/token: .*/, 'token: wrong'));
    try {
      await expect(other.get('/api/v1/namespaces')).rejects.toMatchObject({
        statusCode: 401,
        reason: 'Unauthorized',
      });
    } finally {
      other.close();
    }
  });

  it('refuses a server whose certificate the kubeconfig’s CA did not sign, unless told to skip the check', async () => {
    const noCa = cluster
      .adminKubeconfig()
      .replace(/certificate-authority-data: .*/, 'insecure-skip-tls-verify: false');
    const strict = createKubeClient(noCa);
    const insecure = createKubeClient(
      noCa.replace('insecure-skip-tls-verify: false', 'insecure-skip-tls-verify: true'),
    );
    try {
      const error = await strict.get('/version').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeConnectionError);
      expect((error as Error).message).toMatch(
        /^cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+: .*certificate/,
      );
      expect(await insecure.get<{ gitVersion: string }>('/version')).toMatchObject({
        gitVersion: expect.stringMatching(/^v1\.32/),
      });
    } finally {
      strict.close();
      insecure.close();
    }
  });
});
