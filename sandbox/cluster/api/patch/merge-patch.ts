/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`) as the API server applies it with
 * evanphx/json-patch v4. `kubectl label`, `kubectl annotate` and `kubectl scale` (on the scale
 * subresource) send these; `kubectl label deploy/vweb kiamol-` sends `{"metadata":{"labels":{"kiamol":null}}}`.
 *
 * Where the library differs from the RFC we follow the library:
 * - a value that lands where nothing (or null, or a non-object) was has its null members pruned at
 *   every depth, including inside objects nested in arrays (`{"a":[{"b":null,"c":1}]}` adds
 *   `[{"c":1}]`), while an array that replaces an existing object is kept as sent;
 * - a patch that is an array replaces the whole document (the server then rejects the non-object
 *   result), and a scalar or null patch is refused with 400 `Invalid JSON Patch`.
 */

import type { Json, JsonObject } from '../objects.ts';
import { patchBadRequest } from './errors.ts';
import type { PatchOptions } from './json-patch.ts';
import { cloneJson, describeJsonKind, hasOwn, isJsonObject, setOwn } from './json-values.ts';

/**
 * Applies a merge patch to a copy of `document`. Returns the patched document, or, for an array
 * patch, the array (not an object: the caller must refuse it as the server does).
 * Example: `{"metadata":{"annotations":{"owner":"me"}}}` adds one annotation and keeps the rest.
 */
export function applyMergePatch(document: JsonObject, patch: Json, options: PatchOptions = {}): Json {
  const validation = options.fieldValidation ?? 'Warn';
  // Strict and Warn decode the body into a map first, which refuses anything but an object or null.
  if (validation !== 'Ignore' && patch !== null && !isJsonObject(patch)) {
    throw patchBadRequest(
      `error decoding patch: json: cannot unmarshal ${describeJsonKind(patch)} into Go value of type map[string]interface {}`,
    );
  }
  if (Array.isArray(patch)) return pruneNulls(cloneJson(patch));
  if (!isJsonObject(patch)) throw patchBadRequest('Invalid JSON Patch');
  const patched = cloneJson(document);
  mergeMembers(patched, cloneJson(patch));
  return patched;
}

/** Merges each member of `patch` into `target` in place; null deletes. */
function mergeMembers(target: JsonObject, patch: JsonObject): void {
  for (const key of Object.keys(patch)) {
    const value = patch[key] as Json;
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = hasOwn(target, key) ? (target[key] as Json) : null;
    setOwn(target, key, current === null ? pruneNulls(value) : mergeValue(current, value));
  }
}

/** The merge of one present value with a non-null patch value. */
function mergeValue(current: Json, patch: Json): Json {
  if (!isJsonObject(current)) return pruneNulls(patch);
  if (!isJsonObject(patch)) return patch;
  mergeMembers(current, patch);
  return current;
}

/**
 * Removes null members from objects at every depth, in place; nulls that are array elements stay.
 * Example: `[null, {"a": null, "b": 1}]` becomes `[null, {"b": 1}]`.
 */
function pruneNulls(value: Json): Json {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null) pruneNulls(item);
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      const member = value[key] as Json;
      if (member === null) delete value[key];
      else pruneNulls(member);
    }
  }
  return value;
}
