import { describe, expect, it } from 'vitest';
import {
  createHttpProxy,
  createListNames,
  findLoadBalancerService,
  interpretProxyAnswer,
  listPathFor,
  serviceProxyPath,
} from '../../../sandbox/server/http-proxy.ts';
import {
  KubeRequestError,
  type KubeRequester,
  type KubeRequestOptions,
  type KubeResponse,
} from '../../../sandbox/server/kube-request.ts';
import { HttpProxyError } from '../../../sandbox/shell/index.ts';

const json = (status: number, body: unknown): KubeResponse => ({
  status,
  statusText: '',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  truncated: false,
});
const text = (status: number, body: string, headers: Record<string, string> = {}): KubeResponse => ({
  status,
  statusText: status === 200 ? 'OK' : '',
  headers: { 'content-type': 'text/plain', ...headers },
  body,
  truncated: false,
});
const statusObject = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
});

/** A requester that answers from a table of paths and records what was asked. */
function fakeRequester(answers: Record<string, KubeResponse | Error>): KubeRequester & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async get(path: string, _options?: KubeRequestOptions) {
      asked.push(path);
      const answer = answers[path];
      if (answer === undefined) throw new Error(`unexpected request ${path}`);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    close() {},
  };
}

describe('service proxy paths', () => {
  const cases: [string, string, number | string, string, string][] = [
    ['rl-a', 'vweb', 8090, '/v.txt', '/api/v1/namespaces/rl-a/services/vweb:8090/proxy/v.txt'],
    ['rl-a', 'vweb', 80, '/', '/api/v1/namespaces/rl-a/services/vweb:80/proxy/'],
    ['rl-a', 'vweb', 'http', '/a?b=c', '/api/v1/namespaces/rl-a/services/vweb:http/proxy/a?b=c'],
    ['rl-a', 'vweb', 80, 'x', '/api/v1/namespaces/rl-a/services/vweb:80/proxy/x'],
  ];
  it.each(cases)('%s %s:%s%s', (ns, name, port, path, expected) => {
    expect(serviceProxyPath(ns, name, port, path)).toBe(expected);
  });
});

describe('reading a service proxy answer as curl would', () => {
  it('returns an app answer as it is, whatever its status, without the API server headers', () => {
    const answer = interpretProxyAnswer(
      text(500, 'boom', { 'audit-id': 'x', 'content-length': '4', 'x-kubernetes-pf-flowschema-uid': 'y' }),
      'vweb',
      8090,
    );
    expect(answer).toEqual({
      status: 500,
      statusText: '',
      headers: { 'content-type': 'text/plain', 'content-length': '4' },
      body: 'boom',
    });
  });

  it('returns an app JSON body that is not a Status', () => {
    expect(interpretProxyAnswer(json(404, { error: 'no such todo' }), 'todo-web', 80).body).toBe(
      '{"error":"no such todo"}',
    );
  });

  const refusals: [string, KubeResponse, number, RegExp][] = [
    [
      'an unknown Service',
      json(404, statusObject(404, 'NotFound', 'services "nope" not found')),
      6,
      /^Could not resolve host: vweb$/,
    ],
    [
      'no ready endpoint',
      json(503, statusObject(503, 'ServiceUnavailable', 'no endpoints available for service "vweb"')),
      7,
      /Failed to connect to vweb port 8090 .*no endpoints available/,
    ],
    [
      'no such port',
      json(503, statusObject(503, 'ServiceUnavailable', 'no service port 81 found for service "vweb"')),
      7,
      /Couldn't connect to server/,
    ],
    ['a forbidden proxy', json(403, statusObject(403, 'Forbidden', 'forbidden')), 7, /forbidden/],
  ];
  it.each(refusals)('turns %s into curl error %d', (_name, response, code, message) => {
    try {
      interpretProxyAnswer(response, 'vweb', 8090);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpProxyError);
      expect((error as HttpProxyError).curlCode).toBe(code);
      expect((error as HttpProxyError).message).toMatch(message);
    }
  });
});

describe('the LoadBalancer behind http://localhost:PORT', () => {
  const services = [
    {
      metadata: { name: 'vweb', creationTimestamp: '2026-01-01T00:00:05Z' },
      spec: { type: 'LoadBalancer', ports: [{ port: 8090 }] },
    },
    {
      metadata: { name: 'old', creationTimestamp: '2026-01-01T00:00:01Z' },
      spec: { type: 'LoadBalancer', ports: [{ port: 8090 }] },
    },
    {
      metadata: { name: 'inner', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { type: 'ClusterIP', ports: [{ port: 8010 }] },
    },
    {
      metadata: { name: 'web', creationTimestamp: '2026-01-01T00:00:09Z' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 8020 }] },
    },
  ];
  const cases: [number, string | undefined][] = [
    [8090, 'old'],
    [8020, 'web'],
    [8010, undefined],
    [9999, undefined],
  ];
  it.each(cases)('port %d is Service %s', (port, expected) => {
    expect(findLoadBalancerService(services, port)).toBe(expected);
  });

  it('proxies to the Service that exposes the port', async () => {
    const requester = fakeRequester({
      '/api/v1/namespaces/rl-a/services': json(200, { items: services.slice(2) }),
      '/api/v1/namespaces/rl-a/services/web:8020/proxy/v.txt': text(200, 'v2'),
    });
    const proxy = createHttpProxy(requester);
    const answer = await proxy.get(
      { kind: 'load-balancer', namespace: 'rl-a', port: 8020, path: '/v.txt' },
      { signal: new AbortController().signal },
    );
    expect(answer.body).toBe('v2');
    expect(requester.asked).toEqual([
      '/api/v1/namespaces/rl-a/services',
      '/api/v1/namespaces/rl-a/services/web:8020/proxy/v.txt',
    ]);
  });

  it('refuses the connection (7) when no LoadBalancer has the port', async () => {
    const proxy = createHttpProxy(
      fakeRequester({ '/api/v1/namespaces/rl-a/services': json(200, { items: services.slice(2, 3) }) }),
    );
    await expect(
      proxy.get(
        { kind: 'load-balancer', namespace: 'rl-a', port: 8090, path: '/' },
        { signal: new AbortController().signal },
      ),
    ).rejects.toMatchObject({ curlCode: 7, message: expect.stringMatching(/localhost port 8090/) });
  });

  it('reports an unreachable API server as a failed connection (7)', async () => {
    const proxy = createHttpProxy(
      fakeRequester({
        '/api/v1/namespaces/rl-a/services/vweb:8090/proxy/': new KubeRequestError(
          'cannot reach 127.0.0.1:1',
          'ECONNREFUSED',
        ),
      }),
    );
    await expect(
      proxy.get(
        { kind: 'service', namespace: 'rl-a', name: 'vweb', port: 8090, path: '/' },
        { signal: new AbortController().signal },
      ),
    ).rejects.toMatchObject({ curlCode: 7 });
  });
});

describe('object names for completion', () => {
  const paths: [string, string | undefined][] = [
    ['deployments', '/apis/apps/v1/namespaces/rl-a/deployments?limit=500'],
    ['pods', '/api/v1/namespaces/rl-a/pods?limit=500'],
    ['cronjobs', '/apis/batch/v1/namespaces/rl-a/cronjobs?limit=500'],
    ['namespaces', undefined],
    ['nodes', undefined],
    ['widgets', undefined],
  ];
  it.each(paths)('lists %s at %s', (resource, expected) => {
    expect(listPathFor(resource, 'rl-a')).toBe(expected);
  });

  it('returns sorted names, and nothing on any failure', async () => {
    const requester = fakeRequester({
      '/apis/apps/v1/namespaces/rl-a/deployments?limit=500': json(200, {
        items: [{ metadata: { name: 'vweb' } }, { metadata: { name: 'todo-web' } }, { metadata: {} }],
      }),
      '/api/v1/namespaces/rl-a/pods?limit=500': json(403, statusObject(403, 'Forbidden', 'no')),
      '/api/v1/namespaces/rl-a/services?limit=500': text(200, 'not json'),
      '/apis/apps/v1/namespaces/rl-a/replicasets?limit=500': new Error('down'),
    });
    const listNames = createListNames(requester, 'rl-a');
    const signal = new AbortController().signal;
    expect(await listNames('deployments', { signal })).toEqual(['todo-web', 'vweb']);
    expect(await listNames('pods', { signal })).toEqual([]);
    expect(await listNames('services', { signal })).toEqual([]);
    expect(await listNames('replicasets', { signal })).toEqual([]);
    expect(await listNames('nodes', { signal })).toEqual([]);
  });
});
