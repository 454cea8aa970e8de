import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { handleHttp, PodConnectionError } from '../../../sandbox/cluster/apps/http.ts';
import { readContainerLogs } from '../../../sandbox/cluster/apps/logs.ts';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import { createControlPlane } from '../../../sandbox/cluster/control-plane.ts';

/** A control plane without controllers: pods are written with the status a kubelet would post. */
function bareCluster() {
  return createControlPlane({ clock: createManualClock(), controllers: () => [] });
}

let podCounter = 0;
function runningPod(
  api: ReturnType<typeof bareCluster>['api'],
  containers: Record<string, unknown>[],
  extra: { volumes?: unknown[]; podIP?: string | null; runningImage?: string } = {},
): KubeObject {
  const name = `pod-${++podCounter}`;
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'rollout-lab-worker', containers, volumes: extra.volumes ?? [] },
    status: {
      phase: 'Running',
      ...(extra.podIP === null ? {} : { podIP: extra.podIP ?? '10.244.1.5' }),
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: extra.runningImage ?? c.image,
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
        lastState: {},
      })),
    },
  };
  // The API server resets status on create; the kubelet's status comes through the status subresource.
  const created = api.create(RESOURCES.pods, 'default', { ...pod, status: undefined });
  return api.update(
    RESOURCES.pods,
    'default',
    { ...structuredClone(created), status: pod.status },
    { subresource: 'status' },
  );
}

const get = (path: string, method = 'GET') => ({ method, path, headers: { 'user-agent': 'curl/8.5.0' } });

describe('nginx images answering HTTP', () => {
  it.each([
    ['/v.txt', 200, 'text/plain', 'v1'],
    ['/v.txt?x=1', 200, 'text/plain', 'v1'],
    ['/', 200, 'text/html', '<h1>v1</h1>'],
    ['/index.html', 200, 'text/html', '<h1>v1</h1>'],
    [
      '/missing.txt',
      404,
      'text/html',
      '<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.21.6</center>',
    ],
  ])('GET %s → %i %s', (path, status, type, body) => {
    const { api } = bareCluster();
    const pod = runningPod(api, [
      { name: 'web', image: 'kiamol/ch09-vweb:v1', ports: [{ name: 'http', containerPort: 80 }] },
    ]);
    const response = handleHttp(api, pod, 80, get(path));
    expect(response.status).toBe(status);
    expect(response.headers['Content-Type']).toBe(type);
    expect(response.headers.Server).toBe('nginx/1.21.6');
    expect(response.body).toContain(body);
    expect(response.headers['Content-Length']).toBe(String(Buffer.byteLength(response.body)));
  });

  it('answers by container port name, HEAD without a body, and 405 for POST to a file', () => {
    const { api } = bareCluster();
    const pod = runningPod(api, [
      { name: 'web', image: 'kiamol/ch09-vweb:v2', ports: [{ name: 'http', containerPort: 80 }] },
    ]);
    expect(handleHttp(api, pod, 'http', get('/v.txt')).body).toBe('v2');
    const head = handleHttp(api, pod, 80, get('/v.txt', 'HEAD'));
    expect([head.status, head.body, head.headers['Content-Length']]).toEqual([200, '', '2']);
    expect(handleHttp(api, pod, 80, get('/v.txt', 'POST')).status).toBe(405);
  });

  it('serves a ConfigMap mounted over the document root, and forbids the directory without index', () => {
    const { api } = bareCluster();
    api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vweb-config' },
      data: { 'v.txt': 'v3-from-config' },
    });
    const pod = runningPod(
      api,
      [
        {
          name: 'web',
          image: 'kiamol/ch09-vweb:v2',
          volumeMounts: [{ name: 'config', mountPath: '/usr/share/nginx/html/', readOnly: true }],
        },
      ],
      {
        volumes: [{ name: 'config', configMap: { name: 'vweb-config' } }],
      },
    );
    expect(handleHttp(api, pod, 80, get('/v.txt')).body).toBe('v3-from-config');
    expect(handleHttp(api, pod, 80, get('/')).status).toBe(403);
  });

  it.each([
    ['a port nothing listens on', {}, 8080, 'dial tcp 10.244.1.5:8080: connect: connection refused'],
    ['a pod without an IP', { podIP: null }, 80, 'address not allowed'],
  ])('refuses a request to %s', (_title, extra, port, message) => {
    const { api } = bareCluster();
    const pod = runningPod(api, [{ name: 'web', image: 'nginx:1.17-alpine' }], extra as { podIP?: null });
    let thrown: unknown;
    try {
      handleHttp(api, pod, port, get('/'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PodConnectionError);
    expect((thrown as Error).message).toBe(message);
  });

  it('hangs up on HTTP sent to PostgreSQL', () => {
    const { api } = bareCluster();
    const pod = runningPod(api, [{ name: 'db', image: 'postgres:11.6-alpine' }]);
    expect(() => handleHttp(api, pod, 5432, get('/'))).toThrow('EOF');
  });

  it('proxies as its mounted nginx.conf says, adding the configured headers', () => {
    const { api } = bareCluster();
    const conf =
      'http {\n  server {\n    listen 80;\n    location / {\n      proxy_pass http://todo-web;\n      add_header X-Cache $upstream_cache_status;\n      add_header X-Host $hostname;\n    }\n  }\n}\n';
    api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'todo-proxy-configmap' },
      data: { 'nginx.conf': conf },
    });
    const pod = runningPod(
      api,
      [
        {
          name: 'nginx',
          image: 'nginx:1.17-alpine',
          volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/' }],
        },
      ],
      {
        volumes: [{ name: 'config', configMap: { name: 'todo-proxy-configmap' } }],
      },
    );
    const calls: string[] = [];
    const response = handleHttp(api, pod, 80, get('/new'), {
      forward: (namespace, host, port, request) => {
        calls.push(`${namespace} ${host} ${port} ${request.path}`);
        return { status: 200, headers: { 'Content-Type': 'text/html' }, body: 'upstream page' };
      },
    });
    expect(calls).toEqual(['default todo-web undefined /new']);
    expect(response.body).toBe('upstream page');
    expect(response.headers).toMatchObject({
      'X-Host': pod.metadata.name,
      'X-Cache': 'MISS',
      Server: 'nginx/1.17.10',
    });
    const failing = handleHttp(api, pod, 80, get('/'));
    expect(failing.status).toBe(502);
  });
});

describe('the to-do web app', () => {
  it('renders its list, and says so when configured read-only', () => {
    const { api } = bareCluster();
    const normal = runningPod(api, [{ name: 'web', image: 'kiamol/ch04-todo-list' }]);
    const response = handleHttp(api, normal, 80, get('/'));
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('To-do list');
    expect(response.body).not.toContain('Read-only');
    const readOnly = runningPod(api, [
      { name: 'web', image: 'kiamol/ch04-todo-list', env: [{ name: 'Database__ReadOnly', value: 'true' }] },
    ]);
    expect(handleHttp(api, readOnly, 80, get('/')).body).toContain('Read-only');
    expect(handleHttp(api, readOnly, 80, get('/new', 'POST')).status).toBe(403);
    expect(handleHttp(api, normal, 80, get('/nothing')).status).toBe(404);
  });
});

describe('container logs', () => {
  it('show nginx start-up lines, then the access log of requests served', () => {
    const { api } = bareCluster();
    const pod = runningPod(api, [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }], {
      runningImage: 'docker.io/kiamol/ch09-vweb:v1',
    });
    handleHttp(api, pod, 80, { ...get('/v.txt'), remoteAddress: '10.244.1.1' });
    const lines = readContainerLogs(pod, 'web', { api }).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    );
    expect(lines).toContain('2026/01/01 00:00:00 [notice] 1#1: nginx/1.21.6');
    expect(lines[lines.length - 1]).toBe(
      '10.244.1.1 - - [01/Jan/2026:00:00:00 +0000] "GET /v.txt HTTP/1.1" 200 2 "-" "curl/8.5.0" "-"',
    );
    expect(readContainerLogs(pod, 'web', { api, tailLines: 1 })).toBe(`${lines[lines.length - 1]}\n`);
  });

  it.each([
    ['nginx:1.17-alpine', ''],
    ['kiamol/ch03-sleep', ''],
  ])('are empty for %s, which prints nothing at start', (image, expected) => {
    const { api } = bareCluster();
    expect(readContainerLogs(runningPod(api, [{ name: 'c', image }]), 'c')).toBe(expected);
  });

  it('show PostgreSQL getting ready', () => {
    const { api } = bareCluster();
    const logs = readContainerLogs(runningPod(api, [{ name: 'db', image: 'postgres:11.8-alpine' }]), 'db');
    expect(logs).toContain('PostgreSQL init process complete; ready for start up.');
    expect(logs).toContain('[1] LOG:  listening on IPv4 address "0.0.0.0", port 5432');
  });

  it.each([
    ['ContainerCreating', 'ContainerCreating'],
    ['ErrImagePull', "image can't be pulled"],
    ['ImagePullBackOff', 'trying and failing to pull image'],
  ])('refuse a container waiting in %s: "%s"', (reason, explanation) => {
    const { api } = bareCluster();
    const pod = runningPod(api, [{ name: 'web', image: 'kiamol/ch09-vweb:v9' }]);
    const waiting = {
      ...pod,
      status: {
        ...pod.status,
        containerStatuses: [{ ...pod.status.containerStatuses[0], state: { waiting: { reason } } }],
      },
    };
    expect(() => readContainerLogs(waiting, 'web')).toThrow(
      `container "web" in pod "${pod.metadata.name}" is waiting to start: ${explanation}`,
    );
  });

  it.each([
    ['an unknown container', 'nope', {}, 'container nope is not valid for pod'],
    [
      'a container without a previous run',
      'web',
      { previous: true },
      'previous terminated container "web" in pod',
    ],
  ])('refuse %s as the kubelet does', (_title, container, options, message) => {
    const { api } = bareCluster();
    const pod = runningPod(api, [{ name: 'web', image: 'nginx:1.17-alpine' }]);
    expect(() => readContainerLogs(pod, container, options)).toThrow(message);
  });
});
