import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import {
  composeContainerFiles,
  normalizePath,
  projectObjectVolume,
} from '../../../sandbox/cluster/apps/container-files.ts';

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'vweb-config', namespace: 'default', resourceVersion: '42' },
  data,
});

describe('ConfigMap and Secret volumes', () => {
  it.each([
    ['every key as a file', {}, { 'v.txt': 'v3-from-config', 'index.html': '<h1>v3</h1>' }],
    [
      'only listed items, at their paths',
      { items: [{ key: 'v.txt', path: 'version/v.txt' }] },
      { 'version/v.txt': 'v3-from-config' },
    ],
  ])('project %s', (_title, source, files) => {
    const projection = projectObjectVolume(
      'configmap',
      { name: 'vweb-config', ...source },
      configMap({ 'v.txt': 'v3-from-config', 'index.html': '<h1>v3</h1>' }),
    );
    expect(projection).toEqual({ ok: true, files, sourceVersion: '42' });
  });

  it.each([
    ['a missing ConfigMap', { name: 'vweb-config' }, undefined, 'configmap "vweb-config" not found'],
    [
      'a missing key',
      { name: 'vweb-config', items: [{ key: 'nope', path: 'x' }] },
      configMap({}),
      'configmap references non-existent config key: nope',
    ],
  ])('fail the mount for %s', (_title, source, object, message) => {
    expect(projectObjectVolume('configmap', source, object)).toEqual({ ok: false, message });
  });

  it('mount nothing for a missing optional ConfigMap', () => {
    expect(projectObjectVolume('configmap', { name: 'gone', optional: true }, undefined)).toEqual({
      ok: true,
      files: {},
      sourceVersion: undefined,
    });
  });

  it('decode Secret values', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', resourceVersion: '7' },
      data: { 'secrets.json': Buffer.from('{"a":1}').toString('base64') },
    };
    expect(projectObjectVolume('secret', { secretName: 's' }, secret)).toEqual({
      ok: true,
      files: { 'secrets.json': '{"a":1}' },
      sourceVersion: '7',
    });
  });
});

describe('a container filesystem', () => {
  const image = {
    '/usr/share/nginx/html/index.html': 'index',
    '/usr/share/nginx/html/v.txt': 'v2',
    '/etc/nginx/nginx.conf': 'conf',
  };

  it('hides the image directory under a volume mounted over it', () => {
    const files = composeContainerFiles(image, [
      { mountPath: '/usr/share/nginx/html/', files: { 'v.txt': 'v3-from-config' } },
    ]);
    expect(Object.fromEntries(files)).toEqual({
      '/usr/share/nginx/html/v.txt': 'v3-from-config',
      '/etc/nginx/nginx.conf': 'conf',
    });
  });

  it('replaces a single file with a subPath mount', () => {
    const files = composeContainerFiles(image, [{ mountPath: '/usr/share/nginx/html/v.txt', file: 'sub' }]);
    expect(files.get('/usr/share/nginx/html/v.txt')).toBe('sub');
    expect(files.get('/usr/share/nginx/html/index.html')).toBe('index');
  });

  it('lets a deeper mount win over a shallower one whatever their order', () => {
    const files = composeContainerFiles(image, [
      { mountPath: '/usr/share/nginx/html/extra', files: { 'a.txt': 'deep' } },
      { mountPath: '/usr/share/nginx', files: { 'html/b.txt': 'shallow' } },
    ]);
    expect(Object.fromEntries(files)).toEqual({
      '/etc/nginx/nginx.conf': 'conf',
      '/usr/share/nginx/html/b.txt': 'shallow',
      '/usr/share/nginx/html/extra/a.txt': 'deep',
    });
  });

  it.each([
    ['/usr/share/nginx/html/', '/usr/share/nginx/html'],
    ['/a/./b/../c', '/a/c'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/', '/'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });
});
