/**
 * The main check of the protobuf reader: for each command, kubectl 1.31 (JSON) and kubectl 1.33
 * (protobuf) run against the same recording probe, and the decoded 1.33 body must equal the JSON
 * body 1.31 sent. The probe forwards to a real embedded cluster, so both get real answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtobufBody, isKubernetesProtobuf } from '../../../sandbox/cluster/api/protobuf/index.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import { installedKubectls, type KubectlResult, runKubectl } from '../../support/kubectl.ts';
import { type BodyProbe, type RecordedRequest, startBodyProbe } from './body-probe.ts';

const JSON_KUBECTL = installedKubectls().find((k) => k.version === '1.31');
const PROTOBUF_KUBECTL = installedKubectls().find((k) => k.version === '1.33');
const MISSING = !JSON_KUBECTL || !PROTOBUF_KUBECTL;
const SKIP_NOTE = MISSING
  ? ' (skipped: needs /usr/lib/google-cloud-sdk/bin/kubectl.1.31 and kubectl.1.33)'
  : '';

interface BodyCase {
  args: string[];
  /** Which request carries the body: method and a path pattern. */
  method: 'POST' | 'DELETE';
  path: RegExp;
  /** Whether kubectl 1.33 sends it as protobuf (a few commands build unstructured objects: JSON). */
  protobuf: boolean;
  /** Whether both versions print the same stdout (not for fresh tokens). */
  sameOutput?: boolean;
}

const CASES: BodyCase[] = [
  {
    args: ['create', 'deployment', 'web2', '--image=nginx:1.18-alpine', '--replicas=2', '--dry-run=server'],
    method: 'POST',
    path: /\/deployments\?/,
    protobuf: true,
  },
  {
    args: [
      'create',
      'deployment',
      'multi',
      '--image=nginx',
      '--image=busybox',
      '--port=8080',
      '--replicas=0',
      '--dry-run=server',
    ],
    method: 'POST',
    path: /\/deployments\?/,
    protobuf: true,
  },
  {
    args: ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=empty=', '--dry-run=server'],
    method: 'POST',
    path: /\/configmaps\?/,
    protobuf: true,
  },
  {
    args: ['create', 'configmap', 'binary', '--from-file=blob.bin', '--dry-run=server'],
    method: 'POST',
    path: /\/configmaps\?/,
    protobuf: true,
  },
  {
    args: [
      'create',
      'secret',
      'generic',
      's',
      '--from-literal=p=q',
      '--from-file=blob.bin',
      '--dry-run=server',
    ],
    method: 'POST',
    path: /\/secrets\?/,
    protobuf: true,
  },
  {
    args: [
      'create',
      'secret',
      'docker-registry',
      'reg',
      '--docker-username=u',
      '--docker-password=p',
      '--docker-server=example.com',
      '--dry-run=server',
    ],
    method: 'POST',
    path: /\/secrets\?/,
    protobuf: true,
  },
  {
    args: ['create', 'namespace', 'n1', '--dry-run=server'],
    method: 'POST',
    path: /\/namespaces\?/,
    protobuf: true,
  },
  {
    args: ['create', 'serviceaccount', 'sa2', '--dry-run=server'],
    method: 'POST',
    path: /\/serviceaccounts\?/,
    protobuf: true,
  },
  {
    args: ['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080', '--tcp=443', '--dry-run=server'],
    method: 'POST',
    path: /\/services\?/,
    protobuf: true,
  },
  {
    args: ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080', '--dry-run=server'],
    method: 'POST',
    path: /\/services\?/,
    protobuf: true,
  },
  {
    args: ['create', 'service', 'externalname', 'ext', '--external-name=example.com', '--dry-run=server'],
    method: 'POST',
    path: /\/services\?/,
    protobuf: true,
  },
  {
    args: [
      'create',
      'role',
      'r1',
      '--verb=get,list',
      '--resource=pods,deployments.apps,pods/log',
      '--resource-name=x',
      '--dry-run=server',
    ],
    method: 'POST',
    path: /\/roles\?/,
    protobuf: true,
  },
  {
    args: ['create', 'clusterrole', 'cr1', '--verb=get', '--non-resource-url=/logs/*', '--dry-run=server'],
    method: 'POST',
    path: /\/clusterroles\?/,
    protobuf: true,
  },
  {
    args: [
      'create',
      'clusterrole',
      'cr2',
      '--aggregation-rule=example.com/aggregate=true',
      '--dry-run=server',
    ],
    method: 'POST',
    path: /\/clusterroles\?/,
    protobuf: true,
  },
  {
    args: [
      'create',
      'rolebinding',
      'rb1',
      '--role=r1',
      '--serviceaccount=default:sa1',
      '--user=alice',
      '--dry-run=server',
    ],
    method: 'POST',
    path: /\/rolebindings\?/,
    protobuf: true,
  },
  {
    args: ['create', 'clusterrolebinding', 'crb1', '--clusterrole=cr1', '--group=devs', '--dry-run=server'],
    method: 'POST',
    path: /\/clusterrolebindings\?/,
    protobuf: true,
  },
  {
    args: ['create', 'quota', 'q1', '--hard=cpu=1,requests.memory=1Gi,pods=10', '--dry-run=server'],
    method: 'POST',
    path: /\/resourcequotas\?/,
    protobuf: true,
  },
  {
    args: ['create', 'token', 'sa1'],
    method: 'POST',
    path: /\/serviceaccounts\/sa1\/token/,
    protobuf: true,
    sameOutput: false,
  },
  {
    args: [
      'create',
      'token',
      'sa1',
      '--duration=2h',
      '--audience=a',
      '--audience=b',
      '--bound-object-kind=Pod',
      '--bound-object-name=p1',
      '--bound-object-uid=u1',
    ],
    method: 'POST',
    path: /\/serviceaccounts\/sa1\/token/,
    protobuf: true,
    sameOutput: false,
  },
  {
    args: ['run', 'sleeper', '--image=kiamol/ch03-sleep', '--dry-run=server'],
    method: 'POST',
    path: /\/pods\?/,
    protobuf: false,
  },
  {
    args: ['expose', 'deployment', 'web', '--port=80', '--dry-run=server'],
    method: 'POST',
    path: /\/services\?/,
    protobuf: false,
  },
  {
    args: ['auth', 'can-i', 'create', 'deployments'],
    method: 'POST',
    path: /selfsubjectaccessreviews/,
    protobuf: true,
  },
  {
    args: ['auth', 'can-i', 'get', 'pods/x', '--subresource=log', '-n', 'kube-system'],
    method: 'POST',
    path: /selfsubjectaccessreviews/,
    protobuf: true,
  },
  {
    args: ['auth', 'can-i', 'get', '/logs'],
    method: 'POST',
    path: /selfsubjectaccessreviews/,
    protobuf: true,
  },
  { args: ['auth', 'can-i', '--list'], method: 'POST', path: /selfsubjectrulesreviews/, protobuf: true },
];

/** What one kubectl run sent and printed. */
interface Sent {
  result: KubectlResult;
  request: RecordedRequest | undefined;
}

describe('kubectl 1.33 protobuf bodies decode to the JSON kubectl 1.31 sends', () => {
  let cluster: EmbeddedCluster;
  let probe: BodyProbe;
  let home: string;
  let env: Record<string, string>;

  /** Runs one kubectl against the probe and returns the last request matching the case. */
  const send = async (binary: string, args: string[], method: string, path: RegExp): Promise<Sent> => {
    probe.recorded.length = 0;
    const result = await runKubectl(binary, args, { env, cwd: home });
    const request = probe.recorded.filter((r) => r.method === method && path.test(r.url)).at(-1);
    return { result, request };
  };

  const decode = (request: RecordedRequest): unknown =>
    isKubernetesProtobuf(request.contentType)
      ? decodeProtobufBody(request.body)
      : JSON.parse(request.body.toString('utf8'));

  beforeAll(async () => {
    if (MISSING) return;
    cluster = await startEmbeddedCluster({ timeScale: 20 });
    probe = await startBodyProbe(cluster);
    home = mkdtempSync(join(tmpdir(), 'rollout-lab-protobuf-'));
    writeFileSync(join(home, 'config'), probe.kubeconfig());
    // Bytes that are not UTF-8, so ConfigMap binaryData and Secret data carry real binary.
    writeFileSync(join(home, 'blob.bin'), Buffer.from([0x78, 0x00, 0xff, 0xfe, 0x80]));
    env = {
      KUBECONFIG: join(home, 'config'),
      HOME: home,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      KUBECACHEDIR: join(home, 'cache'),
    };
    for (const args of [
      ['create', 'deployment', 'web', '--image=nginx:1.18-alpine', '--replicas=2'],
      ['create', 'serviceaccount', 'sa1'],
    ]) {
      const result = await runKubectl(JSON_KUBECTL!.path, args, { env, cwd: home });
      if (result.code !== 0) throw new Error(`setup ${args.join(' ')} failed: ${result.stderr}`);
    }
  });

  afterAll(async () => {
    await probe?.stop();
    await cluster?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it.skipIf(MISSING).each(CASES.map((c) => ({ ...c, command: c.args.join(' ') })))(
    `kubectl $command${SKIP_NOTE}`,
    async ({ args, method, path, protobuf, sameOutput = true }) => {
      const before = await send(JSON_KUBECTL!.path, args, method, path);
      const after = await send(PROTOBUF_KUBECTL!.path, args, method, path);
      expect(before.request, `kubectl 1.31 sent no ${method} matching ${path}`).toBeDefined();
      expect(after.request, `kubectl 1.33 sent no ${method} matching ${path}`).toBeDefined();
      expect(before.request!.contentType).toBe('application/json');
      expect(isKubernetesProtobuf(after.request!.contentType)).toBe(protobuf);

      expect(decode(after.request!)).toEqual(JSON.parse(before.request!.body.toString('utf8')));

      // With the body read, the cluster answers both versions alike.
      expect(after.request!.status).toBe(before.request!.status);
      expect({ code: after.result.code, stderr: after.result.stderr }).toEqual({
        code: before.result.code,
        stderr: before.result.stderr,
      });
      if (sameOutput) expect(after.result.stdout).toBe(before.result.stdout);
      else {
        // A fresh token each time; kubectl prints it bare, without a newline.
        expect(before.result.stdout).toMatch(/^[A-Za-z0-9._-]{20,}$/);
        expect(after.result.stdout).toMatch(/^[A-Za-z0-9._-]{20,}$/);
      }
    },
  );

  /** Waits (on the cluster's 20x clock) until the Deployment's pods are bound to a node. */
  const waitForBoundPods = async (): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const pods = cluster.controlPlane.api.listAll(RESOURCES.pods, 'default');
      const web = pods.filter((pod) => pod.metadata.labels?.app === 'web' && !pod.metadata.deletionTimestamp);
      if (web.length === 2 && web.every((pod) => pod.spec?.nodeName)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the web pods were never bound to a node');
  };

  it.skipIf(MISSING)(`kubectl drain: the DeleteOptions of each pod deletion${SKIP_NOTE}`, async () => {
    const node = cluster.controlPlane.api.listAll(RESOURCES.nodes)[0]!.metadata.name!;
    const drain = [
      'drain',
      node,
      '--ignore-daemonsets',
      '--force',
      '--disable-eviction',
      '--grace-period=7',
      '--timeout=60s',
    ];
    const sent: Sent[] = [];
    for (const kubectl of [JSON_KUBECTL!, PROTOBUF_KUBECTL!]) {
      await runKubectl(kubectl.path, ['uncordon', node], { env, cwd: home });
      await waitForBoundPods();
      sent.push(await send(kubectl.path, drain, 'DELETE', /\/pods\//));
    }
    await runKubectl(JSON_KUBECTL!.path, ['uncordon', node], { env, cwd: home });
    const [before, after] = sent as [Sent, Sent];
    expect(before.request?.contentType).toBe('application/json');
    expect(after.request?.contentType).toBe('application/vnd.kubernetes.protobuf');
    expect(decode(after.request!)).toEqual(JSON.parse(before.request!.body.toString('utf8')));
    expect(decode(after.request!)).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 7,
    });
    expect(after.result.code, after.result.stderr).toBe(0);
    expect(after.result.stdout).toMatch(/drained\n$/);
  });
});
