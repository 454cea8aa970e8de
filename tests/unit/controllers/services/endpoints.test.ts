import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import {
  computeEndpointSubsets,
  findPortForPod,
} from '../../../../sandbox/cluster/controllers/services/endpoints.ts';

function pod(
  name: string,
  ip: string | undefined,
  options: {
    ready?: boolean;
    deleting?: boolean;
    phase?: string;
    restartPolicy?: string;
    hostname?: string;
    subdomain?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { app: 'vweb' },
      ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
    },
    spec: {
      nodeName: 'rollout-lab-worker',
      restartPolicy: options.restartPolicy ?? 'Always',
      hostname: options.hostname,
      subdomain: options.subdomain,
      containers: [
        { name: 'web', image: 'kiamol/ch09-vweb:v1', ports: [{ name: 'http', containerPort: 80 }] },
      ],
    },
    status: {
      phase: options.phase ?? 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  };
}

const service = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'vweb', namespace: 'default' },
  spec: { selector: { app: 'vweb' }, ports: [{ port: 8090, targetPort: 'http', protocol: 'TCP' }], ...spec },
});

const address = (name: string, ip: string) => ({
  ip,
  nodeName: 'rollout-lab-worker',
  targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` },
});

describe('endpoint subsets', () => {
  it('resolve a named targetPort and split ready from not-ready addresses, sorted by IP', () => {
    const subsets = computeEndpointSubsets(service({}), [
      pod('b', '10.244.1.3'),
      pod('a', '10.244.1.10', { ready: false }),
      pod('c', '10.244.1.2'),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [address('c', '10.244.1.2'), address('b', '10.244.1.3')],
        notReadyAddresses: [address('a', '10.244.1.10')],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
  });

  it.each([
    ['a pod without an IP yet', pod('x', undefined)],
    ['a terminating pod', pod('x', '10.244.1.4', { deleting: true })],
    [
      'a finished pod that never restarts',
      pod('x', '10.244.1.4', { phase: 'Succeeded', restartPolicy: 'Never' }),
    ],
  ])('leave out %s', (_title, candidate) => {
    expect(computeEndpointSubsets(service({}), [candidate])).toEqual([]);
  });

  it('list terminating and unready pods as ready when the Service publishes not-ready addresses', () => {
    const subsets = computeEndpointSubsets(service({ publishNotReadyAddresses: true }), [
      pod('x', '10.244.1.4', { deleting: true, ready: false }),
    ]);
    expect(subsets).toEqual([
      { addresses: [address('x', '10.244.1.4')], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
  });

  it('name each port of a multi-port Service and keep one subset for pods serving the same ports', () => {
    const svc = service({
      ports: [
        { name: 'http', port: 8090, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
      ],
    });
    expect(computeEndpointSubsets(svc, [pod('a', '10.244.1.2')])).toEqual([
      {
        addresses: [address('a', '10.244.1.2')],
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'metrics', port: 9090, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('give StatefulSet pods of a headless Service their hostname', () => {
    const subsets = computeEndpointSubsets(
      service({ clusterIP: 'None', ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] }),
      [pod('todo-db-0', '10.244.1.7', { hostname: 'todo-db-0', subdomain: 'vweb' })],
    );
    expect(subsets[0]!.addresses![0]).toMatchObject({ ip: '10.244.1.7', hostname: 'todo-db-0' });
  });

  it.each([
    ['a named port the pod has', { port: 8090, targetPort: 'http' }, 80],
    ['a named port the pod lacks', { port: 8090, targetPort: 'web' }, undefined],
    ['a numeric target port', { port: 8090, targetPort: 8080 }, 8080],
    ['no target port (defaults to port)', { port: 8090 }, 8090],
    ['a named port with another protocol', { port: 53, targetPort: 'http', protocol: 'UDP' }, undefined],
  ])('find %s', (_title, servicePort, expected) => {
    expect(findPortForPod(pod('a', '10.244.1.2'), servicePort)).toBe(expected);
  });
});
