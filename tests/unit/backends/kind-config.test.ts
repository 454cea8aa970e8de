/**
 * The kind config file and the chapter's image list.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  findImagesInManifest,
  listChapterImages,
  renderKindConfig,
} from '../../../sandbox/backends/kind/kind-config.ts';

describe('renderKindConfig', () => {
  it.each([
    [{ nodes: 1 }, [{ role: 'control-plane' }]],
    [{ nodes: 3 }, [{ role: 'control-plane' }, { role: 'worker' }, { role: 'worker' }]],
    [
      { nodes: 2, nodeImage: 'kindest/node:v1.32.2' },
      [
        { role: 'control-plane', image: 'kindest/node:v1.32.2' },
        { role: 'worker', image: 'kindest/node:v1.32.2' },
      ],
    ],
  ])('%j', (shape, nodes) => {
    expect(parse(renderKindConfig(shape))).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes,
    });
  });
});

describe('findImagesInManifest', () => {
  it.each([
    [
      '      containers:\n        - name: web\n          image: kiamol/ch09-vweb:v1\n',
      ['kiamol/ch09-vweb:v1'],
    ],
    ['  - image: "nginx:1.17-alpine"  # quoted\n', ['nginx:1.17-alpine']],
    ["image: 'postgres:11.6-alpine'\n", ['postgres:11.6-alpine']],
    ['# image: commented/out\n', []],
    ['imagePullPolicy: Always\n', []],
    ['a: 1\n---\n    image: one\n    image: two\n', ['one', 'two']],
  ])('%j', (text, images) => {
    expect(findImagesInManifest(text)).toEqual(images);
  });
});

describe('listChapterImages', () => {
  it('lists each image of the chapter once, sorted', () => {
    expect(listChapterImages(resolve(import.meta.dirname, '../../../content/exercises/ch09'))).toEqual([
      'kiamol/ch03-sleep',
      'kiamol/ch04-todo-list',
      'kiamol/ch09-vweb:v1',
      'kiamol/ch09-vweb:v2',
      'kiamol/ch09-vweb:v3',
      'nginx:1.17-alpine',
      'nginx:1.18-alpine',
      'postgres:11.6-alpine',
      'postgres:11.8-alpine',
    ]);
  });
});
