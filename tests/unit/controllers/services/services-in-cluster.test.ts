import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../../../../sandbox/cluster/api/errors.ts';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createEndpointsController } from '../../../../sandbox/cluster/controllers/services/endpoints-controller.ts';
import { createLoadBalancerController } from '../../../../sandbox/cluster/controllers/services/load-balancer-controller.ts';
import {
  proxyToPod,
  proxyToService,
} from '../../../../sandbox/cluster/controllers/services/service-proxy.ts';
import { createPod, type Harness, podManifest, startHarness } from '../../nodes/cluster-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading JSON in assertions.
type Any = any;

const harnesses: Harness[] = [];
async function cluster(nodeCount = 1): Promise<Harness> {
  const h = await startHarness({ nodeCount }, (context) => [
    createEndpointsController(context),
    createLoadBalancerController(context),
  ]);
  harnesses.push(h);
  return h;
}
afterEach(() => {
  for (const h of harnesses.splice(0)) h.stop();
});

function vwebService(
  h: Harness,
  selector: Record<string, string> = { app: 'vweb' },
  type = 'LoadBalancer',
): KubeObject {
  return h.cp.api.create(RESOURCES.services, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'vweb', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: { type, selector, ports: [{ port: 8090, targetPort: 'http' }] },
  });
}

function vwebPod(name: string, version: string, extra: Record<string, unknown> = {}): KubeObject {
  return podManifest(
    name,
    {
      containers: [
        {
          name: 'web',
          image: `kiamol/ch09-vweb:${version}`,
          ports: [{ name: 'http', containerPort: 80 }],
          ...extra,
        },
      ],
    },
    { app: 'vweb', version },
  );
}

const endpointsOf = (h: Harness): Any => h.cp.api.find(RESOURCES.endpoints, 'default', 'vweb');
const curl = (h: Harness, path = '/v.txt') =>
  proxyToService(h.cp.api, 'default', 'vweb', 8090, path, {
    method: 'GET',
    headers: { 'user-agent': 'curl/8.5.0' },
  });

function statusErrorOf(run: () => unknown): StatusError {
  try {
    run();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  throw new Error('expected a StatusError');
}

describe('Service endpoints in a running cluster', () => {
  it('follow pod readiness: not ready first, ready once the probe passes, gone when the pod is deleted', async () => {
    const h = await cluster();
    vwebService(h);
    createPod(
      h,
      vwebPod('vweb-1', 'v1', {
        readinessProbe: { httpGet: { path: '/v.txt', port: 'http' }, initialDelaySeconds: 10 },
      }),
    );
    await h.advanceUntil(() => endpointsOf(h)?.subsets?.[0]?.notReadyAddresses !== undefined);
    const pod = h.pod('vweb-1')!;
    expect(endpointsOf(h)!.subsets).toEqual([
      {
        notReadyAddresses: [
          {
            ip: pod.status.podIP,
            nodeName: 'rollout-lab-worker',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'vweb-1', uid: pod.metadata.uid },
          },
        ],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
    expect(endpointsOf(h)!.metadata.labels).toEqual({ kiamol: 'ch09' });
    expect(statusErrorOf(() => curl(h)).status).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'no endpoints available for service "vweb"',
    });

    await h.advanceUntil(() => endpointsOf(h)?.subsets?.[0]?.addresses !== undefined, 20_000);
    expect(endpointsOf(h)!.subsets[0].notReadyAddresses).toBeUndefined();
    expect(curl(h).body).toBe('v1');

    h.cp.api.delete(RESOURCES.pods, 'default', 'vweb-1');
    await h.cp.settle();
    // A terminating pod leaves the Endpoints at once, before its containers stop.
    expect(h.pod('vweb-1')).toBeDefined();
    expect(endpointsOf(h)!.subsets).toBeUndefined();
  });

  it('gives a LoadBalancer Service a localhost ingress, as Docker Desktop does', async () => {
    const h = await cluster();
    vwebService(h);
    await h.cp.settle();
    expect(
      h.cp.api.find(RESOURCES.services, 'default', 'vweb')!.status?.loadBalancer?.ingress,
    ).toBeUndefined();
    await h.advance(1_000);
    const service = h.cp.api.find(RESOURCES.services, 'default', 'vweb')!;
    const ingress = service.status.loadBalancer.ingress as Record<string, string>[];
    expect(ingress).toEqual([{ hostname: 'localhost' }]);
    // kubectl get svc vweb -o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8090/v.txt'
    expect(`http://${Object.values(ingress[0]!).join(' ')}:8090/v.txt`).toBe('http://localhost:8090/v.txt');
    expect(h.eventsOf('vweb').map((e) => `${e.source} ${e.reason}`)).toEqual([
      'service-controller EnsuringLoadBalancer',
      'service-controller EnsuredLoadBalancer',
    ]);

    const changed = structuredClone(service) as KubeObject;
    changed.spec.type = 'ClusterIP';
    for (const port of changed.spec.ports as Any[]) delete port.nodePort;
    h.cp.api.update(RESOURCES.services, 'default', changed);
    await h.cp.settle();
    expect(h.cp.api.find(RESOURCES.services, 'default', 'vweb')!.status.loadBalancer).toEqual({});
  });
});

describe('the service proxy', () => {
  it('takes ready endpoints in turn, so two versions answer alternately', async () => {
    const h = await cluster(2);
    vwebService(h);
    createPod(h, vwebPod('vweb-blue', 'v1'));
    createPod(h, vwebPod('vweb-green', 'v2'));
    await h.advanceUntil(() => (endpointsOf(h)?.subsets?.[0]?.addresses?.length ?? 0) === 2);
    const answers = Array.from({ length: 6 }, () => curl(h).body);
    expect(answers).toEqual(['v1', 'v2', 'v1', 'v2', 'v1', 'v2']);
    const response = curl(h, '/');
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/html');
  });

  it('switches with the Service selector (blue/green) and fails clearly with no endpoint', async () => {
    const h = await cluster();
    vwebService(h, { app: 'vweb', version: 'v1' });
    createPod(h, vwebPod('vweb-blue', 'v1'));
    createPod(h, vwebPod('vweb-green', 'v2'));
    await h.advanceUntil(() => (endpointsOf(h)?.subsets?.[0]?.addresses?.length ?? 0) === 1);
    expect([curl(h).body, curl(h).body]).toEqual(['v1', 'v1']);

    const service = structuredClone(h.cp.api.find(RESOURCES.services, 'default', 'vweb')!) as KubeObject;
    service.spec.selector = { app: 'vweb', version: 'v2' };
    h.cp.api.update(RESOURCES.services, 'default', service);
    await h.cp.settle();
    expect([curl(h).body, curl(h).body]).toEqual(['v2', 'v2']);

    service.metadata.resourceVersion = undefined;
    service.spec.selector = { app: 'vweb', version: 'v3' };
    h.cp.api.update(RESOURCES.services, 'default', service);
    await h.cp.settle();
    expect(statusErrorOf(() => curl(h)).status).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'no endpoints available for service "vweb"',
    });
    expect(
      statusErrorOf(() => proxyToService(h.cp.api, 'default', 'vweb', 9999, '/', { method: 'GET' })).message,
    ).toBe('no service port 9999 found for service "vweb"');
    expect(
      statusErrorOf(() => proxyToService(h.cp.api, 'default', 'nothing', 80, '/', { method: 'GET' })).status,
    ).toMatchObject({ code: 404, message: 'services "nothing" not found' });
  });

  it('reaches a pod directly, and reports a port nothing listens on as the API server does', async () => {
    const h = await cluster();
    createPod(h, vwebPod('vweb-1', 'v2'));
    await h.advanceUntil(() => h.pod('vweb-1')?.status?.containerStatuses?.[0]?.ready === true);
    expect(proxyToPod(h.cp.api, 'default', 'vweb-1', 80, '/v.txt', { method: 'GET' }).body).toBe('v2');
    const refused = statusErrorOf(() =>
      proxyToPod(h.cp.api, 'default', 'vweb-1', 8080, '/', { method: 'GET' }),
    );
    expect(refused.status).toMatchObject({
      code: 503,
      message: `error trying to reach service: dial tcp ${h.pod('vweb-1')!.status.podIP}:8080: connect: connection refused`,
    });
  });

  it('follows an nginx proxy to another Service (todo-proxy → todo-web)', async () => {
    const h = await cluster();
    const { api } = h.cp;
    const conf =
      'events {}\nhttp {\n  server {\n    listen 80;\n    location / {\n      proxy_pass http://todo-web;\n      add_header X-Host $hostname;\n    }\n  }\n}\n';
    api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'todo-proxy-configmap' },
      data: { 'nginx.conf': conf },
    });
    for (const [name, port] of [
      ['todo-web', 80],
      ['todo-proxy', 8091],
    ] as const) {
      api.create(RESOURCES.services, 'default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'default' },
        spec: { selector: { app: name }, ports: [{ port, targetPort: 80 }] },
      });
    }
    createPod(
      h,
      podManifest(
        'todo-web-1',
        { containers: [{ name: 'web', image: 'kiamol/ch04-todo-list' }] },
        { app: 'todo-web' },
      ),
    );
    createPod(
      h,
      podManifest(
        'todo-proxy-1',
        {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.17-alpine',
              volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/', readOnly: true }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'todo-proxy-configmap' } }],
        },
        { app: 'todo-proxy' },
      ),
    );
    await h.advanceUntil(() =>
      ['todo-web-1', 'todo-proxy-1'].every((n) => h.pod(n)?.status?.containerStatuses?.[0]?.ready === true),
    );
    await h.cp.settle();
    const response = proxyToService(api, 'default', 'todo-proxy', 8091, '/', { method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('To-do list');
    expect(response.headers).toMatchObject({ 'X-Host': 'todo-proxy-1', Server: 'nginx/1.17.10' });
  });
});
