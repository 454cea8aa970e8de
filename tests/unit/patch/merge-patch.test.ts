import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../../sandbox/cluster/api/objects.ts';
import { applyMergePatch, type PatchError } from '../../../sandbox/cluster/api/patch/index.ts';
import { KUBECTL_PATCHES, snapshot, vwebDeployment } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read deep into results.
type Loose = any;

describe('merge patches kubectl sends', () => {
  it.each<{ name: string; patch: string; check: (result: Loose) => void }>([
    {
      name: 'kubectl label adds a label and keeps the others',
      patch: KUBECTL_PATCHES.label,
      check: (result) => expect(result.metadata.labels).toEqual({ kiamol: 'ch09', tier: 'web' }),
    },
    {
      name: 'kubectl annotate adds an annotation and keeps the others',
      patch: KUBECTL_PATCHES.annotate,
      check: (result) =>
        expect(Object.keys(result.metadata.annotations)).toEqual([
          'deployment.kubernetes.io/revision',
          'kubectl.kubernetes.io/last-applied-configuration',
          'owner',
        ]),
    },
    {
      name: 'kubectl label key- deletes the label',
      patch: KUBECTL_PATCHES.unlabel,
      check: (result) => expect(result.metadata.labels).toEqual({}),
    },
    {
      name: 'kubectl scale sets replicas (sent to the scale subresource)',
      patch: KUBECTL_PATCHES.scale,
      check: (result) => expect(result.spec.replicas).toBe(5),
    },
    {
      name: 'a list in a merge patch replaces the list',
      patch: '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"kiamol/ch09-vweb:v2"}]}}}}',
      check: (result) =>
        expect(result.spec.template.spec.containers).toEqual([{ name: 'web', image: 'kiamol/ch09-vweb:v2' }]),
    },
  ])('$name', ({ patch, check }) => {
    const live = vwebDeployment();
    const body = JSON.parse(patch) as Json;
    const before = [snapshot(live), snapshot(body)];
    const result = applyMergePatch(live, body) as Loose;
    check(result);
    expect(result.spec.template.metadata.labels).toBeDefined();
    expect([snapshot(live), snapshot(body)]).toEqual(before);
  });
});

describe('RFC 7386 appendix A, as the server applies it', () => {
  it.each<[JsonObject, Json, Json]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j → %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe('where the server library departs from the RFC', () => {
  it.each<{ name: string; target: JsonObject; patch: Json; expected: Json }>([
    {
      name: 'nulls inside objects in a new array are pruned',
      target: {},
      patch: { a: [null, { b: null, c: 1 }] },
      expected: { a: [null, { c: 1 }] },
    },
    {
      name: 'an array replacing an object keeps its nulls',
      target: { a: { x: 1 } },
      patch: { a: [{ b: null }] },
      expected: { a: [{ b: null }] },
    },
    {
      name: 'an object replacing a scalar has its nulls pruned',
      target: { a: 'x' },
      patch: { a: { b: null, c: { d: null } } },
      expected: { a: { c: {} } },
    },
    {
      name: 'an array patch replaces the document (Ignore mode)',
      target: { a: 1 },
      patch: [1, { b: null }],
      expected: [1, {}],
    },
  ])('$name', ({ target, patch, expected }) => {
    expect(applyMergePatch(target, patch, { fieldValidation: 'Ignore' })).toEqual(expected);
  });
});

describe('merge patches the server refuses with 400', () => {
  it.each<{ name: string; patch: Json; validation: 'Strict' | 'Warn' | 'Ignore'; message: string }>([
    { name: 'null', patch: null, validation: 'Warn', message: 'Invalid JSON Patch' },
    { name: 'a string (Ignore)', patch: 'bar', validation: 'Ignore', message: 'Invalid JSON Patch' },
    {
      name: 'a string (Strict)',
      patch: 'bar',
      validation: 'Strict',
      message:
        'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}',
    },
    {
      name: 'an array (Warn)',
      patch: [1],
      validation: 'Warn',
      message:
        'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
  ])('$name', ({ patch, validation, message }) => {
    let caught: PatchError | undefined;
    try {
      applyMergePatch({ a: 1 }, patch, { fieldValidation: validation });
    } catch (error) {
      caught = error as PatchError;
    }
    expect(caught?.status).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});
