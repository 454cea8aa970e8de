import { describe, expect, it } from 'vitest';
import type { Json } from '../../../sandbox/cluster/api/objects.ts';
import {
  applyJsonPatch,
  MAX_JSON_PATCH_OPERATIONS,
  type PatchError,
  REJECTED_REQUEST_MESSAGE,
} from '../../../sandbox/cluster/api/patch/index.ts';
import { KUBECTL_PATCHES, LAST_APPLIED, snapshot, vwebDeployment } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read deep into results.
type Loose = any;

describe('kubectl rollout undo', () => {
  it('replaces the template and the annotations with those of the chosen ReplicaSet', () => {
    const live = vwebDeployment({
      replicas: 3,
      version: 'v2',
      image: 'kiamol/ch09-vweb:v2',
      annotations: {
        'deployment.kubernetes.io/revision': '3',
        'kubernetes.io/change-cause': 'kubectl apply --filename=vweb-v2.yaml --record=true',
        [LAST_APPLIED]: '{}\n',
      },
    });
    const patch = JSON.parse(KUBECTL_PATCHES.rolloutUndo) as Json;
    const before = [snapshot(live), snapshot(patch)];

    const result = applyJsonPatch(live, patch) as Loose;

    expect(result.spec.template.metadata.labels).toEqual({ app: 'vweb', version: 'v1' });
    expect(result.spec.template.spec.containers[0].image).toBe('kiamol/ch09-vweb:v1');
    // The undo's annotations carry no change-cause: the v1 ReplicaSet had none.
    expect(Object.keys(result.metadata.annotations).sort()).toEqual([
      'deployment.kubernetes.io/revision',
      LAST_APPLIED,
    ]);
    expect(result.spec.replicas).toBe(3);
    expect(result.metadata.labels).toEqual({ kiamol: 'ch09' });
    expect([snapshot(live), snapshot(patch)]).toEqual(before);
  });
});

const document = { a: { b: 1, 'x/y': 2, 'm~n': 3 }, list: ['p', 'q', 'r'], empty: null };

describe('applyJsonPatch operations (evanphx/json-patch v4 semantics)', () => {
  it.each<{ name: string; ops: Json; expected: Json }>([
    {
      name: 'add a member',
      ops: [{ op: 'add', path: '/a/c', value: 4 }],
      expected: { ...document, a: { ...document.a, c: 4 } },
    },
    {
      name: 'add overwrites a member',
      ops: [{ op: 'add', path: '/a/b', value: 9 }],
      expected: { ...document, a: { ...document.a, b: 9 } },
    },
    {
      name: 'add into an array',
      ops: [{ op: 'add', path: '/list/1', value: 'n' }],
      expected: { ...document, list: ['p', 'n', 'q', 'r'] },
    },
    {
      name: 'add with - appends',
      ops: [{ op: 'add', path: '/list/-', value: 's' }],
      expected: { ...document, list: ['p', 'q', 'r', 's'] },
    },
    {
      name: 'add at the length appends',
      ops: [{ op: 'add', path: '/list/3', value: 's' }],
      expected: { ...document, list: ['p', 'q', 'r', 's'] },
    },
    // An insertion has 4 slots for 3 elements, so -1 is the slot after the last.
    {
      name: 'add at -1 appends',
      ops: [{ op: 'add', path: '/list/-1', value: 's' }],
      expected: { ...document, list: ['p', 'q', 'r', 's'] },
    },
    {
      name: 'add without a value adds null',
      ops: [{ op: 'add', path: '/z' }],
      expected: { ...document, z: null },
    },
    {
      name: '~1 decodes to /',
      ops: [{ op: 'remove', path: '/a/x~1y' }],
      expected: { ...document, a: { b: 1, 'm~n': 3 } },
    },
    {
      name: '~0 decodes to ~',
      ops: [{ op: 'replace', path: '/a/m~0n', value: 0 }],
      expected: { ...document, a: { ...document.a, 'm~n': 0 } },
    },
    {
      name: 'remove an array element',
      ops: [{ op: 'remove', path: '/list/0' }],
      expected: { ...document, list: ['q', 'r'] },
    },
    {
      name: 'remove at -1 removes the last',
      ops: [{ op: 'remove', path: '/list/-1' }],
      expected: { ...document, list: ['p', 'q'] },
    },
    {
      name: 'remove a null member',
      ops: [{ op: 'remove', path: '/empty' }],
      expected: { a: document.a, list: document.list },
    },
    {
      name: 'replace a member',
      ops: [{ op: 'replace', path: '/a/b', value: { c: 1 } }],
      expected: { ...document, a: { ...document.a, b: { c: 1 } } },
    },
    // RFC 6902 says this must fail; the library the server uses adds the member.
    {
      name: 'replace a missing member adds it',
      ops: [{ op: 'replace', path: '/a/new', value: 1 }],
      expected: { ...document, a: { ...document.a, new: 1 } },
    },
    {
      name: 'replace an array element',
      ops: [{ op: 'replace', path: '/list/2', value: 'z' }],
      expected: { ...document, list: ['p', 'q', 'z'] },
    },
    {
      name: 'replace the root with an object',
      ops: [{ op: 'replace', path: '', value: { only: true } }],
      expected: { only: true },
    },
    {
      name: 'replace the root with a scalar is ignored',
      ops: [{ op: 'replace', path: '', value: 5 }],
      expected: document,
    },
    {
      name: 'move a member',
      ops: [{ op: 'move', from: '/a/b', path: '/moved' }],
      expected: { ...document, a: { 'x/y': 2, 'm~n': 3 }, moved: 1 },
    },
    {
      name: 'move within an array',
      ops: [{ op: 'move', from: '/list/0', path: '/list/-' }],
      expected: { ...document, list: ['q', 'r', 'p'] },
    },
    {
      name: 'copy a member',
      ops: [{ op: 'copy', from: '/list', path: '/copy' }],
      expected: { ...document, copy: ['p', 'q', 'r'] },
    },
    {
      name: 'copy a missing member copies null',
      ops: [{ op: 'copy', from: '/nope', path: '/copy' }],
      expected: { ...document, copy: null },
    },
    {
      name: 'a passing test changes nothing',
      ops: [
        { op: 'test', path: '/a', value: { 'm~n': 3, b: 1, 'x/y': 2 } },
        { op: 'test', path: '/missing', value: null },
        { op: 'test', path: '/empty', value: null },
      ],
      expected: document,
    },
    { name: 'a null patch changes nothing', ops: null, expected: document },
  ])('$name', ({ ops, expected }) => {
    const before = [snapshot(document), snapshot(ops)];
    expect(applyJsonPatch(document, ops)).toEqual(expected);
    expect([snapshot(document), snapshot(ops)]).toEqual(before);
  });

  it('copies are independent of their source', () => {
    const result = applyJsonPatch(document, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'add', path: '/c/b', value: 2 },
    ]) as Loose;
    expect(result.a.b).toBe(1);
    expect(result.c.b).toBe(2);
  });
});

function failureOf(run: () => unknown): PatchError {
  try {
    run();
  } catch (error) {
    return error as PatchError;
  }
  throw new Error('expected the patch to fail');
}

describe('failed operations answer 422 with the server generic text', () => {
  it.each<{ name: string; ops: Json; detail: string }>([
    {
      name: 'a failed test',
      ops: [{ op: 'test', path: '/a/b', value: 2 }],
      detail: 'testing value /a/b failed: test failed',
    },
    {
      name: 'a test of a missing member for a value',
      ops: [{ op: 'test', path: '/nope', value: 1 }],
      detail: 'testing value /nope failed: test failed',
    },
    {
      name: 'add under a missing member',
      ops: [{ op: 'add', path: '/nope/x', value: 1 }],
      detail: 'add operation does not apply: doc is missing path: "/nope/x": missing value',
    },
    {
      name: 'remove of a missing member',
      ops: [{ op: 'remove', path: '/a/nope' }],
      detail: "error in remove for path: '/a/nope': Unable to remove nonexistent key: nope: missing value",
    },
    {
      name: 'replace past the end of an array',
      ops: [{ op: 'replace', path: '/list/3', value: 1 }],
      detail: 'replace operation does not apply: doc is missing key: /list/3: missing value',
    },
    {
      name: 'add past the end of an array',
      ops: [{ op: 'add', path: '/list/5', value: 1 }],
      detail: "error in add for path: '/list/5': Unable to access invalid index: 5: invalid index referenced",
    },
    {
      name: 'an array index that is not a number',
      ops: [{ op: 'add', path: '/list/x', value: 1 }],
      detail: `error in add for path: '/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    },
    {
      name: 'add to the root',
      ops: [{ op: 'add', path: '', value: {} }],
      detail: 'add operation does not apply: doc is missing path: "": missing value',
    },
    {
      name: 'a path without a leading slash',
      ops: [{ op: 'remove', path: 'a' }],
      detail: 'remove operation does not apply: doc is missing path: "a": missing value',
    },
    {
      name: 'an operation without a path',
      ops: [{ op: 'add', value: 1 }],
      detail: 'add operation failed to decode path: missing value',
    },
    {
      name: 'move from a missing member',
      ops: [{ op: 'move', from: '/a/nope', path: '/x' }],
      detail: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value",
    },
    {
      name: 'an unknown operation',
      ops: [{ op: 'increment', path: '/a/b' }],
      detail: 'Unexpected kind: increment',
    },
    { name: 'an operation without op', ops: [{ path: '/a/b' }], detail: 'Unexpected kind: unknown' },
  ])('$name', ({ ops, detail }) => {
    const error = failureOf(() => applyJsonPatch(document, ops));
    expect(error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: REJECTED_REQUEST_MESSAGE,
      reason: 'Invalid',
      details: {},
      code: 422,
    });
    expect(error.detail).toBe(detail);
  });

  it('an earlier operation does not leak into the document when a later one fails', () => {
    const live = vwebDeployment();
    const before = snapshot(live);
    failureOf(() =>
      applyJsonPatch(live, [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/spec/replicas', value: 2 },
      ]),
    );
    expect(snapshot(live)).toBe(before);
  });
});

describe('malformed JSON patches answer 400 before anything is applied', () => {
  it.each<{ name: string; ops: Json; validation: 'Strict' | 'Warn' | 'Ignore'; message: string }>([
    {
      name: 'an object instead of a list (Strict)',
      ops: { op: 'add' },
      validation: 'Strict',
      message:
        'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    },
    {
      name: 'an object instead of a list (Ignore)',
      ops: { op: 'add' },
      validation: 'Ignore',
      message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    },
    {
      name: 'a string operation (Warn)',
      ops: ['add'],
      validation: 'Warn',
      message:
        'error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp',
    },
    {
      name: 'a string operation (Ignore)',
      ops: ['add'],
      validation: 'Ignore',
      message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    },
    {
      name: 'a numeric path (Strict)',
      ops: [{ op: 'remove', path: 3 }],
      validation: 'Strict',
      message:
        'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string',
    },
  ])('$name', ({ ops, validation, message }) => {
    const error = failureOf(() => applyJsonPatch(document, ops, { fieldValidation: validation }));
    expect(error.status).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });

  it(`more than ${MAX_JSON_PATCH_OPERATIONS} operations answer 413`, () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '/a/b',
      value: 1,
    }));
    const error = failureOf(() => applyJsonPatch(document, ops));
    expect(error.status).toMatchObject({
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    });
  });
});

describe('unknown operation fields under field validation', () => {
  // A learner's typo: `valeu` is not a field, so the operation replaces replicas with null.
  const typo = [{ op: 'replace', path: '/spec/replicas', valeu: 3 }];

  it('Strict refuses the patch with 422 naming the field', () => {
    const error = failureOf(() => applyJsonPatch(vwebDeployment(), typo, { fieldValidation: 'Strict' }));
    expect(error.code).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.message).toMatch(
      /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: json patch unknown field "\[0\]\.valeu"$/,
    );
    expect(error.status.details?.causes?.[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'patch' });
  });

  it('Warn applies the patch and reports a warning', () => {
    const warnings: string[] = [];
    const result = applyJsonPatch(vwebDeployment(), typo, {
      fieldValidation: 'Warn',
      onWarning: (w) => warnings.push(w),
    }) as Loose;
    expect(result.spec.replicas).toBeNull();
    expect(warnings).toEqual(['json patch unknown field "[0].valeu"']);
  });

  it('Ignore applies the patch silently', () => {
    const warnings: string[] = [];
    applyJsonPatch(vwebDeployment(), typo, { fieldValidation: 'Ignore', onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
  });
});
