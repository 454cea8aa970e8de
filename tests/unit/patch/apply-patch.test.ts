import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../sandbox/cluster/api/errors.ts';
import type { Json } from '../../../sandbox/cluster/api/objects.ts';
import {
  applyPatch,
  applyPatchBytes,
  createPatchMetaLookup,
  PATCH_TYPES,
  type PatchError,
  parsePatchType,
  UnsupportedPatchTypeError,
} from '../../../sandbox/cluster/api/patch/index.ts';
import { KUBECTL_PATCHES, snapshot, vwebDeployment } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read deep into results.
type Loose = any;

const lookup = createPatchMetaLookup('Deployment');

function failureOf(run: () => unknown): PatchError {
  try {
    run();
  } catch (error) {
    return error as PatchError;
  }
  throw new Error('expected the patch to fail');
}

describe('applyPatch dispatches on the content type', () => {
  it.each<{ contentType: string; patch: string; check: (result: Loose) => void }>([
    {
      contentType: 'application/strategic-merge-patch+json',
      patch: KUBECTL_PATCHES.setImage,
      // Strategic: the container is merged, so its ports survive.
      check: (result) => expect(result.spec.template.spec.containers[0].ports).toHaveLength(1),
    },
    {
      contentType: 'application/merge-patch+json',
      patch: '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"kiamol/ch09-vweb:v2"}]}}}}',
      // Merge: the list is replaced, so the ports are gone.
      check: (result) => expect(result.spec.template.spec.containers[0]).not.toHaveProperty('ports'),
    },
    {
      contentType: 'application/json-patch+json; charset=utf-8',
      patch: '[{"op":"replace","path":"/spec/replicas","value":4}]',
      check: (result) => expect(result.spec.replicas).toBe(4),
    },
    {
      contentType: 'application/strategic-merge-patch+json;charset=UTF-8',
      patch: KUBECTL_PATCHES.rolloutPause,
      check: (result) => expect(result.spec.paused).toBe(true),
    },
  ])('$contentType', ({ contentType, patch, check }) => {
    const live = vwebDeployment();
    const body = JSON.parse(patch) as Json;
    const before = [snapshot(live), snapshot(body)];
    check(applyPatch(contentType, live, body, lookup));
    expect([snapshot(live), snapshot(body)]).toEqual(before);
  });
});

describe('content types the server does not apply', () => {
  it.each([
    PATCH_TYPES.applyYaml,
    'application/json',
    'application/merge-patch+json ',
    'APPLICATION/MERGE-PATCH+JSON',
    '',
  ])('%j answers 415', (contentType) => {
    const error = failureOf(() => applyPatch(contentType, vwebDeployment(), {}, lookup));
    expect(error).toBeInstanceOf(UnsupportedPatchTypeError);
    expect(error).toBeInstanceOf(StatusError);
    expect(error.status).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
    });
  });

  it('parsePatchType strips parameters only', () => {
    expect(parsePatchType('application/merge-patch+json; charset=utf-8')).toBe(PATCH_TYPES.merge);
    expect(
      (failureOf(() => parsePatchType('application/apply-patch+yaml')) as UnsupportedPatchTypeError)
        .contentType,
    ).toBe('application/apply-patch+yaml');
  });
});

describe('results that are not objects', () => {
  it.each([
    { contentType: PATCH_TYPES.json, patch: [{ op: 'replace', path: '', value: [1] }] },
    { contentType: PATCH_TYPES.merge, patch: [1] },
  ])('$contentType yielding an array answers 422 naming the patch field', ({ contentType, patch }) => {
    const error = failureOf(() =>
      applyPatch(contentType, vwebDeployment(), patch, lookup, { fieldValidation: 'Ignore' }),
    );
    expect(error.status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(error.message).toBe(
      ' "" is invalid: patch: Invalid value: "[1]": couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    );
    expect(error.status.details?.causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'patch' }),
    ]);
  });
});

describe('applyPatchBytes', () => {
  it('parses the body and applies it', () => {
    const bytes = new TextEncoder().encode(KUBECTL_PATCHES.applyScale);
    expect(
      (applyPatchBytes(PATCH_TYPES.strategic, vwebDeployment(), bytes, lookup) as Loose).spec.replicas,
    ).toBe(3);
  });

  it.each(['', '{"spec":', 'not json'])('%j answers 400 invalid JSON patch', (body) => {
    const error = failureOf(() => applyPatchBytes(PATCH_TYPES.merge, vwebDeployment(), body, lookup));
    expect(error.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'invalid JSON patch' });
  });

  it('checks the content type before the body', () => {
    expect(failureOf(() => applyPatchBytes('text/plain', vwebDeployment(), 'not json', lookup)).code).toBe(
      415,
    );
  });
});
