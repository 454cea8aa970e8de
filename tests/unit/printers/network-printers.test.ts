import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { printTable } from '../../../sandbox/cluster/api/printers/index.ts';
import { formatEndpoints } from '../../../sandbox/cluster/api/printers/network-printers.ts';
import { ago, makeClusterIPService, makeLoadBalancerService, NOW, SECONDS } from './fixtures.ts';

function cellsOf(resource: string, object: KubeObject): unknown[] | undefined {
  return printTable(resource, [object], { now: NOW, resourceVersion: '1' }).rows[0]?.cells;
}

describe('service rows', () => {
  it('show a LoadBalancer answered with localhost, and its node port', () => {
    expect(cellsOf('services', makeLoadBalancerService())).toEqual([
      'vweb',
      'LoadBalancer',
      '10.96.120.8',
      'localhost',
      '8090:31234/TCP',
      '9s',
      'app=vweb',
    ]);
  });

  it('show a ClusterIP service with a named targetPort by its service port only', () => {
    expect(cellsOf('services', makeClusterIPService())).toEqual([
      'vweb-internal',
      'ClusterIP',
      '10.96.44.21',
      '<none>',
      '80/TCP',
      '3m',
      'app=vweb,tier=web',
    ]);
  });

  it('show <pending> while no load balancer has answered', () => {
    const service = makeLoadBalancerService();
    service.status = { loadBalancer: {} };
    expect(cellsOf('services', service)?.[3]).toBe('<pending>');
  });

  it('list ingress points sorted and de-duplicated, IPs before hostnames of the same entry, then external IPs', () => {
    const service = makeLoadBalancerService();
    service.spec.externalIPs = ['192.0.2.10'];
    service.status = {
      loadBalancer: {
        ingress: [
          { hostname: 'lb.example.com' },
          { ip: '203.0.113.7', hostname: 'ignored.example.com' },
          { ip: '203.0.113.7' },
        ],
      },
    };
    expect(cellsOf('services', service)?.[3]).toBe('203.0.113.7,lb.example.com,192.0.2.10');
  });

  it('never shortens a long load-balancer address, since the server prints tables wide', () => {
    const service = makeLoadBalancerService();
    service.status = { loadBalancer: { ingress: [{ hostname: 'a-very-long-balancer.example.com' }] } };
    expect(cellsOf('services', service)?.[3]).toBe('a-very-long-balancer.example.com');
  });

  it.each([
    [{ type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }, '<none>', '80:30080/TCP'],
    [
      { type: 'ClusterIP', externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [] },
      '192.0.2.1,192.0.2.2',
      '<none>',
    ],
    [
      { type: 'ExternalName', externalName: 'db.example.com', clusterIPs: undefined },
      'db.example.com',
      '<none>',
    ],
    [
      {
        type: 'ClusterIP',
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      '<none>',
      '53/UDP,53/TCP',
    ],
  ])('format %j as EXTERNAL-IP %s and PORT(S) %s', (specPatch, externalIP, ports) => {
    const service = makeClusterIPService();
    service.spec = { ...service.spec, ports: undefined, ...specPatch };
    const cells = cellsOf('services', service);
    expect([cells?.[3], cells?.[4]]).toEqual([externalIP, ports]);
  });

  it('print None for a headless service and <none> for one without cluster IPs', () => {
    const headless = makeClusterIPService();
    headless.spec.clusterIP = 'None';
    headless.spec.clusterIPs = ['None'];
    const external = makeClusterIPService();
    external.spec = { type: 'ExternalName', externalName: 'db.example.com' };
    expect(cellsOf('services', headless)?.[2]).toBe('None');
    expect(cellsOf('services', external)?.[2]).toBe('<none>');
    expect(cellsOf('services', external)?.[6]).toBe('<none>');
  });
});

describe('endpoints rows', () => {
  it.each([
    ['no subsets', undefined, '<none>'],
    ['an empty subset list', [], '<none>'],
    ['only not-ready addresses', [{ notReadyAddresses: [{ ip: '10.244.0.7' }], ports: [{ port: 80 }] }], ''],
    [
      'one address and port',
      [{ addresses: [{ ip: '10.244.0.7' }], ports: [{ name: 'http', port: 80 }] }],
      '10.244.0.7:80',
    ],
    [
      'two addresses times two ports',
      [
        {
          addresses: [{ ip: '10.244.0.7' }, { ip: '10.244.0.8' }],
          ports: [
            { name: 'http', port: 80 },
            { name: 'metrics', port: 9090 },
          ],
        },
      ],
      '10.244.0.7:80,10.244.0.8:80,10.244.0.7:9090 + 1 more...',
    ],
    ['a headless subset without ports', [{ addresses: [{ ip: '10.244.0.7' }] }], '10.244.0.7'],
    ['an IPv6 address', [{ addresses: [{ ip: 'fd00::7' }], ports: [{ port: 80 }] }], '[fd00::7]:80'],
  ])('format %s', (_label, subsets, expected) => {
    expect(formatEndpoints(subsets as Parameters<typeof formatEndpoints>[0])).toBe(expected);
  });

  it('fill NAME ENDPOINTS AGE', () => {
    const endpoints: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'vweb', namespace: 'default', creationTimestamp: ago(39 * SECONDS) },
      subsets: [{ addresses: [{ ip: '10.244.0.7' }], ports: [{ port: 80, protocol: 'TCP' }] }],
    };
    expect(cellsOf('endpoints', endpoints)).toEqual(['vweb', '10.244.0.7:80', '39s']);
  });
});
