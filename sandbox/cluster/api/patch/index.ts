/**
 * PATCH for the embedded API server: picks the patch format from the request's Content-Type and
 * applies it to a copy of the stored object, failing with the Status the real server would send.
 * Pure functions: no store, no admission, no validation of the resulting object (the caller does
 * those, as the server does after patching).
 */

import type { Json, JsonObject } from '../objects.ts';
import {
  type PatchError,
  patchBadRequest,
  patchedDocumentInvalid,
  UnsupportedPatchTypeError,
} from './errors.ts';
import { applyJsonPatch, type PatchOptions } from './json-patch.ts';
import { describeJsonKind, isJsonObject } from './json-values.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch, type PatchMetaLookup } from './strategic-merge-patch.ts';

export {
  PatchError,
  patchBadRequest,
  patchedDocumentInvalid,
  patchFailedUnexpectedly,
  patchRejected,
  patchTooLarge,
  REJECTED_REQUEST_MESSAGE,
  UnsupportedPatchTypeError,
} from './errors.ts';
export {
  applyJsonPatch,
  type FieldValidation,
  MAX_JSON_PATCH_COPY_BYTES,
  MAX_JSON_PATCH_OPERATIONS,
  type PatchOptions,
} from './json-patch.ts';
export { applyMergePatch } from './merge-patch.ts';
export { createPatchMetaLookup, KINDS_WITH_PATCH_META, type PatchMetaTable } from './patch-meta.ts';
export {
  applyStrategicMergePatch,
  findLeftoverDirectives,
  type PatchMeta,
  type PatchMetaLookup,
  type PatchStrategy,
} from './strategic-merge-patch.ts';

/** The PATCH media types of the Kubernetes API. */
export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  applyYaml: 'application/apply-patch+yaml',
} as const;

/** A patch format this server applies. */
export type SupportedPatchType = (typeof PATCH_TYPES)['json' | 'merge' | 'strategic'];

/** The media types this server applies, in the order a 415 lists them. Server-side apply is not one. */
export const SUPPORTED_PATCH_TYPES: readonly SupportedPatchType[] = [
  PATCH_TYPES.json,
  PATCH_TYPES.merge,
  PATCH_TYPES.strategic,
];

/** Cut at the first ';' and nothing else, as the server does: `application/json-patch+json; charset=utf-8` passes, a stray space does not. */
function mediaTypeOf(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return semicolon > 0 ? contentType.slice(0, semicolon) : contentType;
}

/**
 * The patch format named by a Content-Type header, or UnsupportedPatchTypeError (415), which is
 * also what `application/apply-patch+yaml` (server-side apply) gets here.
 */
export function parsePatchType(contentType: string): SupportedPatchType {
  const mediaType = mediaTypeOf(contentType);
  const supported = SUPPORTED_PATCH_TYPES.find((type) => type === mediaType);
  if (!supported) throw new UnsupportedPatchTypeError(mediaType, SUPPORTED_PATCH_TYPES);
  return supported;
}

/**
 * Applies a decoded PATCH body to a copy of `target` and returns the patched object; `target` and
 * `patchBody` are left as they were. `lookup` supplies strategic merge metadata (see
 * `createPatchMetaLookup`). `options` matter for JSON and merge patches, whose bodies the server
 * decodes strictly first; for a strategic merge patch the strict checks concern the object's own
 * fields, which the caller validates (see `findLeftoverDirectives`).
 * Throws PatchError (a StatusError) or UnsupportedPatchTypeError.
 * Example: `applyPatch('application/merge-patch+json', deployment, {metadata: {labels: {tier: 'web'}}}, lookup)`.
 */
export function applyPatch(
  contentType: string,
  target: JsonObject,
  patchBody: Json,
  lookup: PatchMetaLookup,
  options: PatchOptions = {},
): JsonObject {
  const patchType = parsePatchType(contentType);
  if (patchType === PATCH_TYPES.strategic) return applyStrategicMergePatch(target, patchBody, lookup);
  const patched =
    patchType === PATCH_TYPES.json
      ? applyJsonPatch(target, patchBody, options)
      : applyMergePatch(target, patchBody, options);
  if (!isJsonObject(patched)) throw notAnObject(patched);
  return patched;
}

/**
 * As applyPatch, from the raw request body: a body that is not JSON is refused with 400
 * `invalid JSON patch`, as the server does before looking at the patch format's rules.
 */
export function applyPatchBytes(
  contentType: string,
  target: JsonObject,
  body: string | Uint8Array,
  lookup: PatchMetaLookup,
  options: PatchOptions = {},
): JsonObject {
  parsePatchType(contentType);
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  let patchBody: Json;
  try {
    patchBody = JSON.parse(text) as Json;
  } catch {
    throw patchBadRequest('invalid JSON patch');
  }
  return applyPatch(contentType, target, patchBody, lookup, options);
}

/**
 * The server decodes the patched document into the object; an array or scalar fails there, with
 * the decoder looking for apiVersion and kind first.
 */
function notAnObject(patched: Json): PatchError {
  const kind = describeJsonKind(patched);
  return patchedDocumentInvalid(
    JSON.stringify(patched),
    `couldn't get version/kind; json parse error: json: cannot unmarshal ${kind} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
  );
}
