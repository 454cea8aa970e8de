import { describe, expect, it } from 'vitest';
import {
  chooseKubectlBinary,
  type KubectlBinary,
  listVersionedKubectls,
  parseServerMinor,
} from '../../../sandbox/server/kubectl-binary.ts';
import { type ApiRoute, matchApiRoute } from '../../../sandbox/server/routes.ts';

describe('API routes', () => {
  const cases: [string, string, ApiRoute][] = [
    ['GET', '/api', { name: 'index' }],
    ['GET', '/api/', { name: 'index' }],
    ['GET', '/api/health', { name: 'health' }],
    ['POST', '/api/sessions', { name: 'create' }],
    ['POST', '/api/sessions/', { name: 'create' }],
    ['GET', '/api/sessions', { name: 'method-not-allowed', allow: ['POST'] }],
    ['GET', '/api/sessions/current', { name: 'current' }],
    ['GET', '/api/sessions/abc123', { name: 'show', id: 'abc123' }],
    ['HEAD', '/api/sessions/abc123', { name: 'show', id: 'abc123' }],
    ['DELETE', '/api/sessions/abc123', { name: 'delete', id: 'abc123' }],
    ['PUT', '/api/sessions/abc123', { name: 'method-not-allowed', allow: ['GET', 'DELETE'] }],
    ['GET', '/api/sessions/abc123/kubeconfig', { name: 'kubeconfig', id: 'abc123' }],
    ['POST', '/api/sessions/abc123/kubeconfig', { name: 'method-not-allowed', allow: ['GET'] }],
    ['POST', '/api/sessions/abc123/reset', { name: 'reset', id: 'abc123' }],
    ['GET', '/api/sessions/abc123/reset', { name: 'method-not-allowed', allow: ['POST'] }],
    ['GET', '/api/sessions/abc123/terminal', { name: 'terminal', id: 'abc123' }],
    ['GET', '/api/sessions/abc123/events', { name: 'events', id: 'abc123' }],
    ['POST', '/api/sessions/abc123/events', { name: 'method-not-allowed', allow: ['GET'] }],
    ['GET', '/api/sessions/abc123/events/x', { name: 'not-found' }],
    ['GET', '/api/progress', { name: 'progress' }],
    ['DELETE', '/api/progress', { name: 'progress' }],
    ['POST', '/api/progress', { name: 'method-not-allowed', allow: ['GET', 'DELETE'] }],
    ['GET', '/api/progress/abc', { name: 'not-found' }],
    ['GET', '/api/sessions/abc123/files', { name: 'files', id: 'abc123' }],
    ['GET', '/api/sessions/abc123/files/', { name: 'files', id: 'abc123' }],
    ['PUT', '/api/sessions/abc123/files', { name: 'method-not-allowed', allow: ['GET'] }],
    ['GET', '/api/sessions/abc123/files/vweb/update/a.yaml', { name: 'file', id: 'abc123' }],
    ['PUT', '/api/sessions/abc123/files/a.yaml', { name: 'file', id: 'abc123' }],
    ['DELETE', '/api/sessions/abc123/files/a.yaml', { name: 'method-not-allowed', allow: ['GET', 'PUT'] }],
    ['GET', '/api/sessions/abc123/schema', { name: 'schema', id: 'abc123' }],
    ['POST', '/api/sessions/abc123/schema', { name: 'method-not-allowed', allow: ['GET'] }],
    [
      'POST',
      '/api/sessions/abc123/edits/Zx9_k-3bQ2lY8mN1pR4tVw',
      { name: 'edit', id: 'abc123', editId: 'Zx9_k-3bQ2lY8mN1pR4tVw' },
    ],
    [
      'GET',
      '/api/sessions/abc123/edits/Zx9_k-3bQ2lY8mN1pR4tVw',
      { name: 'method-not-allowed', allow: ['POST'] },
    ],
    ['POST', '/api/sessions/abc123/edits', { name: 'not-found' }],
    ['POST', '/api/sessions/abc123/edits/short', { name: 'not-found' }],
    ['POST', '/api/sessions/abc123/edits/..%2F..%2Fetc%2Fpasswd', { name: 'not-found' }],
    ['POST', '/api/sessions/abc123/edits/Zx9_k-3bQ2lY8mN1pR4tVw/x', { name: 'not-found' }],
    ['GET', '/api/sessions/abc123/terminal/x', { name: 'not-found' }],
    ['GET', '/api/sessions/..%2f..%2fetc', { name: 'not-found' }],
    ['GET', '/api/sessions/a.b', { name: 'not-found' }],
    ['GET', '/api/other', { name: 'not-found' }],
    ['GET', '/apix', { name: 'not-found' }],
  ];
  it.each(cases)('%s %s', (method, path, expected) => {
    expect(matchApiRoute(method, path)).toEqual(expected);
  });
});

describe('choosing the kubectl binary', () => {
  const dir = '/usr/lib/google-cloud-sdk/bin';
  const all = listVersionedKubectls(dir, [
    'kubectl',
    'kubectl.1.33',
    'kubectl.1.27',
    'kubectl.1.30',
    'kubectl.1.32',
    'kubectl.1.31',
    'kubectl.1.29',
    'kubectl.1.28',
    'kubectl.1.32.bak',
    'gcloud',
  ]);

  it('lists the versioned binaries oldest first, ignoring other files', () => {
    expect(all.map((k) => k.minor)).toEqual([27, 28, 29, 30, 31, 32, 33]);
    expect(all[5]!.path).toBe(`${dir}/kubectl.1.32`);
  });

  const cases: [string, KubectlBinary[], number | undefined, string | undefined, string | undefined][] = [
    ['the same minor as the server', all, 32, undefined, `${dir}/kubectl.1.32`],
    ['1.27 for a 1.27 server', all, 27, undefined, `${dir}/kubectl.1.27`],
    ['one newer within the skew', all.filter((k) => k.minor !== 30), 30, undefined, `${dir}/kubectl.1.31`],
    ['one older within the skew', all, 34, undefined, `${dir}/kubectl.1.33`],
    ['the newest when nothing is within the skew', all, 40, undefined, `${dir}/kubectl.1.33`],
    [
      'the newest when the server version is unknown',
      all,
      undefined,
      '/usr/bin/kubectl',
      `${dir}/kubectl.1.33`,
    ],
    [
      'kubectl on PATH when no versioned binary exists',
      [],
      32,
      '/usr/local/bin/kubectl',
      '/usr/local/bin/kubectl',
    ],
    ['nothing when nothing is installed', [], 32, undefined, undefined],
  ];
  it.each(cases)('%s', (_name, versioned, minor, onPath, expected) => {
    expect(chooseKubectlBinary(versioned, minor, onPath)?.path).toBe(expected);
  });

  const versions: [string, number | undefined][] = [
    ['{"major":"1","minor":"32","gitVersion":"v1.32.2"}', 32],
    ['{"major":"1","minor":"31+","gitVersion":"v1.31.4-gke.1"}', 31],
    ['{"major":"2","minor":"0"}', undefined],
    ['{"major":"1"}', undefined],
    ['not json', undefined],
  ];
  it.each(versions)('reads the minor version of %s', (body, expected) => {
    expect(parseServerMinor(body)).toBe(expected);
  });
});
