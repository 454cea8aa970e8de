/**
 * End to end: kubectl 1.33, which sends typed requests as protobuf, against the real embedded
 * cluster. Each command must print what it prints against a real cluster, and the objects it
 * created must hold what the command asked for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import { request } from '../../support/http.ts';
import { installedKubectls, type KubectlResult, runKubectl } from '../../support/kubectl.ts';
import { concatBytes, kubernetesBody, messageField, stringField } from './wire-writer.ts';

const KUBECTL = installedKubectls().find((k) => k.version === '1.33');
const SKIP_NOTE = KUBECTL ? '' : ' (skipped: needs /usr/lib/google-cloud-sdk/bin/kubectl.1.33)';

describe(`kubectl 1.33 (protobuf bodies) against the embedded cluster${SKIP_NOTE}`, () => {
  let cluster: EmbeddedCluster;
  let home: string;
  let env: Record<string, string>;
  let token = '';

  const kubectl = (args: string[]): Promise<KubectlResult> =>
    runKubectl(KUBECTL!.path, args, { env, cwd: home });

  beforeAll(async () => {
    if (!KUBECTL) return;
    cluster = await startEmbeddedCluster({ timeScale: 20 });
    home = mkdtempSync(join(tmpdir(), 'rollout-lab-protobuf-e2e-'));
    writeFileSync(join(home, 'config'), cluster.adminKubeconfig('default'));
    env = {
      KUBECONFIG: join(home, 'config'),
      HOME: home,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      KUBECACHEDIR: join(home, 'cache'),
    };
  });

  afterAll(async () => {
    await cluster?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  // In order: expose needs the Deployment, the token needs the ServiceAccount.
  it.skipIf(!KUBECTL).each([
    {
      command: 'create deployment web --image=nginx:1.18-alpine --replicas=2',
      stdout: 'deployment.apps/web created\n',
    },
    { command: 'create configmap c --from-literal=a=b', stdout: 'configmap/c created\n' },
    { command: 'create secret generic s --from-literal=p=q', stdout: 'secret/s created\n' },
    { command: 'create namespace n1', stdout: 'namespace/n1 created\n' },
    { command: 'expose deployment web --port=80', stdout: 'service/web exposed\n' },
    { command: 'run sleeper --image=kiamol/ch03-sleep', stdout: 'pod/sleeper created\n' },
    { command: 'auth can-i create deployments', stdout: 'yes\n' },
    { command: 'create serviceaccount sa1', stdout: 'serviceaccount/sa1 created\n' },
    {
      command: 'create role pod-reader --verb=get,list --resource=pods',
      stdout: 'role.rbac.authorization.k8s.io/pod-reader created\n',
    },
    {
      command: 'create rolebinding sa1-reads --role=pod-reader --serviceaccount=default:sa1',
      stdout: 'rolebinding.rbac.authorization.k8s.io/sa1-reads created\n',
    },
    { command: 'create quota q1 --hard=pods=10', stdout: 'resourcequota/q1 created\n' },
  ])(`kubectl $command prints $stdout`, async ({ command, stdout }) => {
    const result = await kubectl(command.split(' '));
    expect(result).toEqual({ stdout, stderr: '', code: 0 });
  });

  it.skipIf(!KUBECTL)('kubectl create token sa1 prints a token that authenticates as sa1', async () => {
    const result = await kubectl(['create', 'token', 'sa1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[A-Za-z0-9._-]{20,}$/);
    token = result.stdout;
    // The Role bound above lets sa1 list pods, and nothing else.
    expect(await kubectl(['--token', token, 'auth', 'can-i', 'list', 'pods'])).toEqual({
      stdout: 'yes\n',
      stderr: '',
      code: 0,
    });
    // A real cluster prints a bare `no` here; the embedded authorizer adds its reason (not this area).
    const denied = await kubectl(['--token', token, 'auth', 'can-i', 'create', 'deployments']);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(/^no\b/);
  });

  it.skipIf(!KUBECTL)('stored the objects the commands described', () => {
    const api = cluster.controlPlane.api;
    const deployment = api.get(RESOURCES.deployments, 'default', 'web');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.18-alpine',
    });
    expect(api.get(RESOURCES.configmaps, 'default', 'c').data).toEqual({ a: 'b' });
    expect(api.get(RESOURCES.secrets, 'default', 's')).toMatchObject({ type: 'Opaque', data: { p: 'cQ==' } });
    expect(api.get(RESOURCES.namespaces, undefined, 'n1').metadata.name).toBe('n1');
    expect(api.get(RESOURCES.services, 'default', 'web').spec).toMatchObject({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(api.get(RESOURCES.pods, 'default', 'sleeper').spec.containers[0].image).toBe('kiamol/ch03-sleep');
    expect(api.get(RESOURCES.resourcequotas, 'default', 'q1').spec.hard).toEqual({ pods: '10' });
  });

  describe('the API server edge', () => {
    const post = (path: string, body: Uint8Array) =>
      request(cluster.url, cluster.caCertificate, cluster.adminToken, 'POST', path, Buffer.from(body), {
        'Content-Type': 'application/vnd.kubernetes.protobuf',
      });

    it.skipIf(!KUBECTL)('answers random bytes with a 400 Status', async () => {
      const response = await post(
        '/api/v1/namespaces/default/configmaps',
        Uint8Array.from([7, 1, 200, 3, 9, 9]),
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    });

    it.skipIf(!KUBECTL)(
      'answers a kind the tables do not know with a 415 Status that says what to do',
      async () => {
        const response = await post(
          '/apis/apps/v1/namespaces/default/deployments',
          kubernetesBody('batch/v1', 'Job'),
        );
        expect(response.status).toBe(415);
        const status = JSON.parse(response.body);
        expect(status).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
        expect(status.message).toContain('Job (batch/v1)');
        expect(status.message).toContain('kubectl apply -f FILE');
      },
    );

    it.skipIf(!KUBECTL)('creates an object from a hand-built protobuf body', async () => {
      const body = kubernetesBody(
        'v1',
        'ConfigMap',
        messageField(1, stringField(1, 'hand-built')),
        concatBytes(messageField(2, stringField(1, 'k'), stringField(2, 'v'))),
      );
      const response = await post('/api/v1/namespaces/default/configmaps', body);
      expect(response.status).toBe(201);
      expect(JSON.parse(response.body)).toMatchObject({ metadata: { name: 'hand-built' }, data: { k: 'v' } });
    });
  });
});
