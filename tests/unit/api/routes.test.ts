import { describe, expect, it } from 'vitest';
import { chooseRepresentation } from '../../../sandbox/cluster/api/http/negotiation.ts';
import { parseApiPath } from '../../../sandbox/cluster/api/http/routes.ts';

describe('parseApiPath', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['/api', { kind: 'discovery', legacy: true }],
    ['/apis', { kind: 'discovery', legacy: false }],
    ['/api/v1', { kind: 'discovery', group: '', version: 'v1' }],
    ['/apis/apps/v1', { kind: 'discovery', group: 'apps', version: 'v1' }],
    ['/api/v1/namespaces', { kind: 'resource', resource: { plural: 'namespaces' } }],
    ['/api/v1/namespaces/demo', { kind: 'resource', name: 'demo', resource: { plural: 'namespaces' } }],
    ['/api/v1/namespaces/demo/finalize', { kind: 'resource', name: 'demo', subresource: 'finalize' }],
    ['/api/v1/namespaces/demo/pods', { kind: 'resource', namespace: 'demo', resource: { plural: 'pods' } }],
    [
      '/api/v1/namespaces/demo/pods/web-1/log',
      { kind: 'resource', namespace: 'demo', name: 'web-1', subresource: 'log' },
    ],
    [
      '/apis/apps/v1/namespaces/demo/deployments/vweb/scale',
      { kind: 'resource', namespace: 'demo', name: 'vweb', subresource: 'scale' },
    ],
    ['/apis/apps/v1/deployments', { kind: 'resource', resource: { plural: 'deployments' } }],
    [
      '/api/v1/namespaces/demo/services/vweb:8090/proxy/v.txt',
      { kind: 'resource', name: 'vweb:8090', subresource: 'proxy', rest: '/v.txt' },
    ],
    ['/apis/apps/v1/namespaces/demo/widgets', { kind: 'unknown-resource', plural: 'widgets' }],
    ['/api/v1/namespaces/demo/nodes', { kind: 'not-found' }],
    ['/metrics', { kind: 'not-found' }],
    ['/api/v1/namespaces/%E0%A4%A/pods', { kind: 'not-found' }],
  ];
  it.each(cases)('%s', (path, expected) => {
    expect(parseApiPath(path)).toMatchObject(expected);
  });
});

describe('chooseRepresentation', () => {
  const cases: [string | undefined, unknown][] = [
    [undefined, { as: 'object', yaml: false }],
    ['application/json', { as: 'object', yaml: false }],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json', { as: 'Table' }],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', { as: 'Table' }],
    ['application/vnd.kubernetes.protobuf,application/json', { as: 'object', yaml: false }],
    ['application/vnd.kubernetes.protobuf', undefined],
    ['application/yaml', { as: 'object', yaml: true }],
  ];
  it.each(cases)('%s', (accept, expected) => {
    expect(chooseRepresentation(accept)).toEqual(expected);
  });
  it('picks aggregated discovery v2 only where discovery is asked for', () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    expect(chooseRepresentation(accept, { discovery: true })).toEqual({
      as: 'APIGroupDiscoveryList',
      version: 'v2',
    });
    expect(chooseRepresentation(accept)).toEqual({ as: 'object', yaml: false });
  });
});
