import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createManualClock } from '../../../../sandbox/cluster/clock.ts';
import { createControlPlane } from '../../../../sandbox/cluster/control-plane.ts';
import {
  allocateServiceAddresses,
  parseCidr,
  pickFreeOffset,
  staticBandSize,
} from '../../../../sandbox/cluster/controllers/services/service-addresses.ts';

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 8090, targetPort: 80, protocol: 'TCP' }], ...spec },
});

function cluster() {
  return createControlPlane({ clock: createManualClock(), controllers: () => [] }).api;
}

/** Stores a Service exactly as given, bypassing the API server's own allocation. */
function storeAsIs(api: ReturnType<typeof cluster>, service: KubeObject): void {
  api.store.create('services', {
    ...service,
    metadata: { ...service.metadata, uid: `uid-${service.metadata.name}` },
  });
}

describe('service address ranges', () => {
  it.each([
    // 10.96.0.1 = 10·2^24 + 96·2^16 + 1 = 174 063 617; a /16 has 2^16 − 2 usable addresses.
    ['10.96.0.0/16', 174_063_617, 65_534],
    ['10.96.0.0/12', 174_063_617, 1_048_574],
  ])('parse %s', (cidr, first, size) => {
    expect(parseCidr(cidr)).toEqual({ first, size });
  });

  it.each([
    [65_534, 16, 256, 256],
    [2_768, 16, 128, 128],
    [100, 16, 128, 16],
  ])('keep a static band of clamp(%i / 16, %i, %i) = %i', (size, min, max, band) => {
    expect(staticBandSize(size, min, max)).toBe(band);
  });

  it('pick from the dynamic band first and fall back to a scan', () => {
    expect(pickFreeOffset(10, 4, new Set(), () => 0)).toBe(4);
    expect(pickFreeOffset(10, 4, new Set([4, 5, 6, 7, 8, 9]), () => 0)).toBe(0);
    expect(pickFreeOffset(3, 1, new Set([0, 1, 2]), () => 0)).toBeUndefined();
  });
});

describe('allocateServiceAddresses', () => {
  it('gives a ClusterIP Service an address from the dynamic part of 10.96.0.0/16 and no node ports', () => {
    const api = cluster();
    const out = allocateServiceAddresses(api, svc('vweb', {}), undefined, { random: () => 0 });
    expect(out.spec).toMatchObject({
      clusterIP: '10.96.1.1',
      clusterIPs: ['10.96.1.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(out.spec.ports[0].nodePort).toBeUndefined();
  });

  it('gives a LoadBalancer Service a node port per port from 30128 up, skipping taken ones', () => {
    const api = cluster();
    storeAsIs(
      api,
      svc('other', {
        type: 'NodePort',
        clusterIP: '10.96.1.1',
        clusterIPs: ['10.96.1.1'],
        ports: [{ port: 80, nodePort: 30128 }],
      }),
    );
    const out = allocateServiceAddresses(api, svc('vweb', { type: 'LoadBalancer' }), undefined, {
      random: () => 0,
    });
    expect(out.spec.clusterIP).not.toBe('10.96.1.1');
    expect(out.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30128);
    expect(out.spec.ports[0].nodePort).not.toBe(30128);
  });

  it('keeps headless Services without an address', () => {
    const out = allocateServiceAddresses(cluster(), svc('todo-db', { clusterIP: 'None' }));
    expect(out.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
  });

  it.each([
    [
      'a taken cluster IP',
      { clusterIP: '10.96.1.1' },
      'Service "vweb" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.1.1"}: failed to allocate IP 10.96.1.1: provided IP is already allocated',
    ],
    [
      'a cluster IP outside the range',
      { clusterIP: '10.0.0.5' },
      'Service "vweb" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    ],
    [
      'a taken node port',
      { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
      'Service "vweb" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    ],
    [
      'a node port outside the range',
      { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] },
      'Service "vweb" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
  ])('refuses %s', (_title, spec, message) => {
    const api = cluster();
    storeAsIs(
      api,
      svc('other', {
        type: 'NodePort',
        clusterIP: '10.96.1.1',
        clusterIPs: ['10.96.1.1'],
        ports: [{ port: 80, nodePort: 30080 }],
      }),
    );
    expect(() => allocateServiceAddresses(api, svc('vweb', spec))).toThrow(message);
  });

  it('keeps allocations across an update and releases node ports when the type drops them', () => {
    const api = cluster();
    const created = allocateServiceAddresses(api, svc('vweb', { type: 'LoadBalancer' }), undefined, {
      random: () => 0.5,
    });
    const resent = allocateServiceAddresses(api, svc('vweb', { type: 'LoadBalancer' }), created, {
      random: () => 0.1,
    });
    expect(resent.spec.clusterIP).toBe(created.spec.clusterIP);
    expect(resent.spec.ports[0].nodePort).toBe(created.spec.ports[0].nodePort);
    const clusterIpOnly = allocateServiceAddresses(
      api,
      svc('vweb', { type: 'ClusterIP', ports: created.spec.ports }),
      created,
    );
    expect(clusterIpOnly.spec.ports[0].nodePort).toBeUndefined();
    expect(clusterIpOnly.spec.clusterIP).toBe(created.spec.clusterIP);
  });

  it('is what the API server uses on create', () => {
    const api = cluster();
    const stored = api.create(RESOURCES.services, 'default', svc('vweb', { type: 'LoadBalancer' }));
    expect(stored.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(stored.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  });
});
