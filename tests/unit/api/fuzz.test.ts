/**
 * Throws random, truncated and malformed bodies at every route of the API server: each answer must
 * be a well-formed Status below 500, and the server must keep serving and keep stored objects intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import { request } from '../../support/http.ts';

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const VALID_DEPLOYMENT = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vweb', labels: { kiamol: 'ch09' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'vweb' } },
    template: {
      metadata: { labels: { app: 'vweb' } },
      spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }] },
    },
  },
});

function mutations(random: () => number): (string | Buffer)[] {
  const out: (string | Buffer)[] = [
    '',
    '{',
    'null',
    '[]',
    '"text"',
    '42',
    '{"metadata":7}',
    '{"kind":"Pod"}',
    '{"apiVersion":"v9","kind":"Deployment","metadata":{"name":"x"}}',
  ];
  for (let i = 0; i < 12; i++)
    out.push(VALID_DEPLOYMENT.slice(0, Math.floor(random() * VALID_DEPLOYMENT.length)));
  for (let i = 0; i < 6; i++)
    out.push(Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))));
  out.push(JSON.stringify({ metadata: { name: 'a'.repeat(300) } }));
  out.push(
    JSON.stringify({ metadata: { name: 'ok', labels: { 'bad key!': 1 } }, spec: { replicas: 'three' } }),
  );
  out.push(JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 'x' }]));
  out.push(JSON.stringify([{ op: 'explode' }]));
  return out;
}

describe('API server under random input', () => {
  let cluster: EmbeddedCluster;
  beforeAll(async () => {
    cluster = await startEmbeddedCluster({ clock: createManualClock() });
    const created = await request(
      cluster.url,
      cluster.caCertificate,
      cluster.adminToken,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      VALID_DEPLOYMENT,
      { 'Content-Type': 'application/json' },
    );
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('answers every route and method with a Status below 500 and keeps the stored object intact', async () => {
    const random = seededRandom(7);
    const before = cluster.controlPlane.api.get(RESOURCES.deployments, 'default', 'vweb');
    const paths: string[] = [
      '/api',
      '/apis',
      '/api/v1',
      '/apis/apps/v1',
      '/version',
      '/openapi/v2',
      '/openapi/v3',
      '/nonsense',
      '/api/v1/namespaces/default/pods/%ZZ',
    ];
    for (const resource of Object.values(RESOURCES)) {
      const base = `/${resource.group ? `apis/${resource.group}` : 'api'}/${resource.version}`;
      const collection = resource.namespaced
        ? `${base}/namespaces/default/${resource.plural}`
        : `${base}/${resource.plural}`;
      paths.push(collection, `${collection}/vweb`, `${collection}/vweb/status`, `${collection}/vweb/scale`);
    }
    const contentTypes = [
      'application/json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/json-patch+json',
      'application/yaml',
      'text/plain',
    ];
    let requests = 0;
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const bodies = method === 'GET' || method === 'DELETE' ? [undefined] : mutations(random).slice(0, 8);
        for (const body of bodies) {
          const contentType = contentTypes[Math.floor(random() * contentTypes.length)]!;
          const target = method === 'DELETE' && path.includes('deployments') ? `${path}?dryRun=All` : path;
          const answer = await request(
            cluster.url,
            cluster.caCertificate,
            cluster.adminToken,
            method,
            target,
            body,
            { 'Content-Type': contentType },
          );
          requests++;
          expect(
            answer.status,
            `${method} ${target} ${String(body).slice(0, 60)} → ${answer.body.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (answer.status >= 400) {
            const status = JSON.parse(answer.body);
            expect(status.kind).toBe('Status');
            expect(status.message.length).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(300);
    const after = cluster.controlPlane.api.get(RESOURCES.deployments, 'default', 'vweb');
    expect(after.spec.template).toEqual(before.spec.template);
    const version = await request(cluster.url, cluster.caCertificate, undefined, 'GET', '/version');
    expect(version.status).toBe(200);
  });

  it('refuses requests without a valid token', async () => {
    const answer = await request(cluster.url, cluster.caCertificate, 'wrong', 'GET', '/api/v1/namespaces');
    expect(answer.status).toBe(401);
  });
});
