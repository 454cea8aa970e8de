/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied the way the API server
 * applies it (k8s.io/apimachinery/pkg/util/strategicpatch, server side: parallel lists merged,
 * unmatched nulls ignored). `kubectl apply` (client side), `set image`, `set env`, `rollout
 * pause/resume/restart` and `kubectl patch` without `--type` send these.
 *
 * Field metadata (which lists merge, by which key) comes from a PatchMetaLookup, asked with the
 * field's path from the object root with list positions left out:
 * `['spec', 'template', 'spec', 'containers', 'ports']` is every container's ports.
 *
 * What the server does, and so what this does:
 * - maps merge member by member; null deletes; a member the original lacks is taken from the
 *   patch with its nulls and `$patch` maps removed;
 * - lists whose field has the `merge` strategy merge: maps by merge key (an unmatched element is
 *   appended as sent), primitives as a set union; other lists are replaced whole, as sent;
 * - `$patch: replace` in a map replaces it; `$patch: delete` makes it empty (the key stays);
 *   `$patch: merge` is refused (the server never implemented it: map → `unknown patch type`,
 *   list → `merging lists cannot yet be specified in the patch`);
 * - in a merging list, `{"$patch": "delete", <key>: v}` deletes every element with that key and
 *   `{"$patch": "replace"}` makes the other patch elements the whole list;
 * - `$retainKeys: [...]` clears every member of the original map not listed, and refuses a patch
 *   that sets a member it does not list;
 * - `$deleteFromPrimitiveList/<field>: [...]` removes those values from a primitive list;
 * - `$setElementOrder/<field>: [...]` orders the merged list: listed elements in that order, the
 *   server's other elements kept where they were relative to them;
 * - order within a merged list otherwise: patch elements in patch order, interleaved with the
 *   server-only elements by their position in the original list.
 * Go iterates maps in random order; where that could matter (a value both added to and removed
 * from a primitive list in one patch) this applies `$deleteFromPrimitiveList` last, the order
 * kubectl's own patches imply. The server reuses the memory of a list it deletes from, which
 * shifts how `$setElementOrder` places server-only elements; that effect is reproduced.
 */

import type { Json, JsonObject } from '../objects.ts';
import { type PatchError, patchBadRequest, patchFailedUnexpectedly, patchRejected } from './errors.ts';
import { describeGoType, formatGoString, formatGoValue } from './go-format.ts';
import { cloneJson, describeJsonKind, hasOwn, isJsonObject, setOwn } from './json-values.ts';

/** A patch strategy of a field (Go struct tag `patchStrategy`, OpenAPI `x-kubernetes-patch-strategy`). */
export type PatchStrategy = 'merge' | 'replace' | 'retainKeys';

/** How a strategic merge patch treats one field. */
export interface PatchMeta {
  /** For a list of objects merged by key: the key (`name` for containers, `containerPort` for ports). */
  mergeKey?: string;
  /** In the order the upstream tag lists them, e.g. `['merge', 'retainKeys']` for pod volumes. */
  strategies: readonly PatchStrategy[];
}

/**
 * Finds the patch metadata of the field at `path` (from the object root, list positions left out),
 * or undefined for a field without any (maps merge, lists are replaced).
 */
export type PatchMetaLookup = (path: readonly string[]) => PatchMeta | undefined;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** The server's errors whose text clients see as 400 Bad Request. */
const BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';

/**
 * Applies a strategic merge patch to a copy of `original` and returns the result; neither input is
 * modified. Throws PatchError with the server's status and message.
 * Example: `{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"kiamol/ch09-vweb:v2"}]}}}}`
 * changes the image of container `web` and keeps its ports, probes and every other container.
 */
export function applyStrategicMergePatch(
  original: JsonObject,
  patch: Json,
  lookup: PatchMetaLookup,
): JsonObject {
  // The server decodes the body into a map: null decodes to an empty patch, the rest fails.
  if (patch === null) return cloneJson(original);
  if (!isJsonObject(patch)) {
    throw patchBadRequest(
      `json: cannot unmarshal ${describeJsonKind(patch)} into Go value of type map[string]interface {}`,
    );
  }
  return mergeMap(cloneJson(original), cloneJson(patch), [], lookup);
}

/** Go's view of a slice: the first `length` elements of a backing array other views may share. */
interface SliceView {
  backing: Json[];
  length: number;
}

/** The element kinds Go tells apart when checking that a list holds one kind of element. */
type ElementKind = 'map' | 'slice' | 'string' | 'bool' | 'int64' | 'float64' | 'nil';

function elementKind(value: Json): ElementKind {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'slice';
  if (isJsonObject(value)) return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

function viewOf(list: Json[]): SliceView {
  return { backing: list, length: list.length };
}

function itemsOf(view: SliceView): Json[] {
  return view.backing.slice(0, view.length);
}

/** Go's append: writes into the shared backing array while it has room past the view. */
function appendTo(view: SliceView, value: Json): SliceView {
  if (view.length < view.backing.length) view.backing[view.length] = value;
  else view.backing.push(value);
  return { backing: view.backing, length: view.length + 1 };
}

function unexpected(message: string): PatchError {
  return patchFailedUnexpectedly(message);
}

function noMergeKeyError(item: JsonObject, mergeKey: string): PatchError {
  return unexpected(`map: ${formatGoValue(item)} does not contain declared merge key: ${mergeKey}`);
}

function badArgTypeError(expectedType: string, actual: Json | undefined): PatchError {
  // Go prints the type with %s, and a nil type prints as `%!s(<nil>)`.
  const actualType = actual === null || actual === undefined ? '%!s(<nil>)' : describeGoType(actual);
  return unexpected(`expected a ${expectedType}, but received a ${actualType}`);
}

function requireMap(value: Json): JsonObject {
  if (!isJsonObject(value)) throw badArgTypeError('map[string]interface {}', value);
  return value;
}

/**
 * Go's `==` on two decoded JSON values: equal scalars of the same kind. Maps and slices cannot be
 * compared in Go (the server would crash), so they never match here.
 */
function goEquals(left: Json | undefined, right: Json | undefined): boolean {
  const a = left ?? null;
  const b = right ?? null;
  if (typeof a === 'object' && a !== null) return false;
  return a === b && elementKind(a) === elementKind(b);
}

/** The strategy other than retainKeys (`''` when none), validated as the server does. */
function listOrMapStrategy(meta: PatchMeta | undefined): string {
  const strategies = meta?.strategies ?? [];
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : (strategies[0] as string);
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1] as string;
    if (strategies[1] === 'retainKeys') return strategies[0] as string;
  }
  throw unexpected(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

/** `$setElementOrder/containers` → `containers`; refuses a prefix without a field name. */
function fieldOfDirective(key: string, prefix: string, badFormat: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw patchBadRequest(badFormat);
  return key.slice(slash + 1);
}

/** Merges `patch` into `original` in place (both private copies) and returns the merged map. */
function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  path: readonly string[],
  lookup: PatchMetaLookup,
): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return applyMapDirective(patch[DIRECTIVE] as Json, patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, path, lookup);
  const deletionLists: string[] = [];
  for (const key of Object.keys(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      fieldOfDirective(key, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST);
      deletionLists.push(key);
      continue;
    }
    mergeMember(original, key, patch[key] as Json, false, path, lookup);
  }
  for (const key of deletionLists) {
    const field = fieldOfDirective(key, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST);
    mergeMember(original, field, patch[key] as Json, true, path, lookup);
  }
  return original;
}

/** `$patch` inside a map: replace → the patch itself, delete → an empty map, anything else fails. */
function applyMapDirective(directive: Json, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw unexpected(`unknown patch type: ${formatGoString(directive)} in map: ${formatGoValue(patch)}`);
}

/**
 * `$retainKeys`: every member the patch sets must be listed, and members of the original that are
 * not listed are cleared. kubectl sends it for Deployment `strategy` and pod `volumes` elements.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const listed = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(listed)) throw patchBadRequest(BAD_RETAIN_KEYS);
  const retained = new Set(listed.filter((key): key is string => typeof key === 'string'));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER))
      continue;
    if (!retained.has(key)) throw patchBadRequest(BAD_RETAIN_KEYS);
  }
  for (const key of Object.keys(original)) if (!retained.has(key)) delete original[key];
}

/** Merges one member of a patch map into the original map. */
function mergeMember(
  original: JsonObject,
  key: string,
  patchValue: Json,
  isDeletionList: boolean,
  path: readonly string[],
  lookup: PatchMetaLookup,
): void {
  if (patchValue === null) {
    delete original[key];
    return;
  }
  const current = hasOwn(original, key) ? (original[key] as Json) : undefined;
  if (current === undefined || elementKind(current) !== elementKind(patchValue)) {
    if (!isDeletionList) takeFromPatch(original, key, patchValue);
    return;
  }
  const fieldPath = [...path, key];
  if (isJsonObject(current)) {
    const strategy = listOrMapStrategy(lookup(fieldPath));
    setOwn(
      original,
      key,
      strategy === 'replace' ? patchValue : mergeMap(current, patchValue as JsonObject, fieldPath, lookup),
    );
  } else if (Array.isArray(current)) {
    const meta = lookup(fieldPath);
    const strategy = listOrMapStrategy(meta);
    setOwn(
      original,
      key,
      mergeListByStrategy(
        viewOf(current),
        patchValue as Json[],
        fieldPath,
        strategy,
        meta?.mergeKey ?? '',
        isDeletionList,
        lookup,
      ),
    );
  } else {
    setOwn(original, key, patchValue);
  }
}

/** Sets a member from the patch where the original has nothing to merge with. */
function takeFromPatch(original: JsonObject, key: string, patchValue: Json): void {
  dropNullMembers(patchValue);
  const kept = withoutDirectives(patchValue);
  if (kept === DROPPED) delete original[key];
  else setOwn(original, key, kept);
}

/** Deletes null members of maps at every depth, in place; null list elements stay. */
function dropNullMembers(value: Json): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNullMembers(item);
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      const member = value[key] as Json;
      if (member === null) delete value[key];
      else dropNullMembers(member);
    }
  }
}

const DROPPED = Symbol('dropped');

/**
 * Removes every map carrying `$patch` (from maps and lists, at any depth); a map that carries one
 * itself is dropped whole. Other directives (`$retainKeys`, `$setElementOrder/...`) stay.
 */
function withoutDirectives(value: Json): Json | typeof DROPPED {
  if (Array.isArray(value)) {
    const kept: Json[] = [];
    for (const item of value) {
      const result = withoutDirectives(item);
      if (result !== DROPPED) kept.push(result);
    }
    return kept;
  }
  if (isJsonObject(value)) {
    if (hasOwn(value, DIRECTIVE)) return DROPPED;
    for (const key of Object.keys(value)) {
      const result = withoutDirectives(value[key] as Json);
      if (result === DROPPED) delete value[key];
      else setOwn(value, key, result);
    }
  }
  return value;
}

/** A list with the merge strategy (or a deletion list) merges; any other list is replaced as sent. */
function mergeListByStrategy(
  original: SliceView,
  patch: Json[],
  path: readonly string[],
  strategy: string,
  mergeKey: string,
  isDeletionList: boolean,
  lookup: PatchMetaLookup,
): Json[] {
  if (strategy === 'merge' || isDeletionList)
    return mergeList(original, patch, path, mergeKey, isDeletionList, lookup);
  return patch;
}

/** The one kind of element all `lists` share; fails on mixed kinds and on lists of lists. */
function sharedElementKind(lists: readonly Json[][]): ElementKind {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = elementKind(item);
      if (kind === undefined) {
        // The server asks a nil type for its kind here and crashes.
        if (current === 'nil') throw unexpected(NIL_DEREFERENCE);
        if (current === 'slice') throw patchRejected('lists of lists are not supported');
        kind = current;
      } else if (kind !== current) {
        throw unexpected(`list element types are not identical: ${formatGoValue(lists as Json[])}`);
      }
    }
  }
  if (kind === undefined) throw unexpected('no elements in any of the given slices');
  return kind;
}

/** Merges a patch list into an original list of the `merge` strategy. */
function mergeList(
  original: SliceView,
  patch: Json[],
  path: readonly string[],
  mergeKey: string,
  isDeletionList: boolean,
  lookup: PatchMetaLookup,
): Json[] {
  if (original.length === 0 && patch.length === 0) return itemsOf(original);
  const kind = sharedElementKind([itemsOf(original), patch]);
  let merged: Json[];
  let survivors = original;
  let patchElements: Json[] = patch;
  if (kind !== 'map') {
    if (isDeletionList) return removeValues(itemsOf(original), patch);
    merged = deduplicateScalars([...itemsOf(original), ...patch]);
  } else {
    if (mergeKey === '') throw unexpected('cannot merge lists without merge key for struct');
    const split = applyListDirectives(original, patch, mergeKey);
    survivors = split.original;
    patchElements = split.patch;
    merged = itemsOf(mergeElementsByKey(survivors, patchElements, mergeKey, path, lookup));
  }
  const { inPatch, serverOnly } = partitionByPresence(merged, patchElements, mergeKey);
  return orderMergedElements(inPatch, serverOnly, patchElements, itemsOf(survivors), mergeKey, kind);
}

/** `$deleteFromPrimitiveList`: the original without the listed values, in original order. */
function removeValues(current: Json[], toDelete: Json[]): Json[] {
  return current.filter((item) => !toDelete.some((value) => goEquals(value, item)));
}

/**
 * Removes duplicates the way the server does, which moves the last element into each duplicate's
 * slot (the order is normalised afterwards). Example: [a b a c] → [a b c].
 */
function deduplicateScalars(values: Json[]): Json[] {
  const items = [...values];
  let last = items.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (goEquals(items[i], items[j])) {
        items[j] = items[last] as Json;
        items.length = last;
        last--;
        j--;
      }
    }
  }
  return items;
}

/**
 * Handles `$patch` elements of a merging list: deletions remove matching originals (in the shared
 * backing array, as Go does), `replace` makes the remaining patch elements the whole list.
 */
function applyListDirectives(
  original: SliceView,
  patch: Json[],
  mergeKey: string,
): { original: SliceView; patch: Json[] } {
  const plain: Json[] = [];
  let replace = false;
  let current = original;
  for (const element of patch) {
    const item = element as JsonObject;
    if (!hasOwn(item, DIRECTIVE)) {
      plain.push(element);
      continue;
    }
    const directive = item[DIRECTIVE] as Json;
    if (directive === 'delete') {
      if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
      current = deleteMatching(current, mergeKey, item[mergeKey] as Json);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw unexpected('merging lists cannot yet be specified in the patch');
    } else {
      throw unexpected(`unknown patch type: ${formatGoString(directive)} in map: ${formatGoValue(item)}`);
    }
  }
  if (replace) return { original: viewOf(plain), patch: [] };
  return { original: current, patch: plain };
}

/** Finds the first map whose `key` equals `value`; a non-map before it is an error. */
function findByKey(items: readonly Json[], length: number, key: string, value: Json): number {
  for (let index = 0; index < length; index++) {
    const item = items[index] as Json;
    if (!isJsonObject(item)) throw unexpected(`value for key ${index} is not a map`);
    if (hasOwn(item, key) && goEquals(item[key], value)) return index;
  }
  return -1;
}

/** Deletes every element whose merge key equals `value`, shifting the backing array like Go's append. */
function deleteMatching(view: SliceView, mergeKey: string, value: Json): SliceView {
  let length = view.length;
  for (;;) {
    const index = findByKey(view.backing, length, mergeKey, value);
    if (index < 0) break;
    view.backing.copyWithin(index, index + 1, length);
    length--;
  }
  return { backing: view.backing, length };
}

/** Merges each patch element into the original element with the same key, or appends it as sent. */
function mergeElementsByKey(
  original: SliceView,
  patch: Json[],
  mergeKey: string,
  path: readonly string[],
  lookup: PatchMetaLookup,
): SliceView {
  let current = original;
  for (const element of patch) {
    const item = element as JsonObject;
    if (!hasOwn(item, mergeKey)) throw noMergeKeyError(item, mergeKey);
    const index = findByKey(current.backing, current.length, mergeKey, item[mergeKey] as Json);
    if (index >= 0) {
      current.backing[index] = mergeMap(current.backing[index] as JsonObject, item, path, lookup);
    } else {
      current = appendTo(current, element);
    }
  }
  return current;
}

/** Splits `items` into those present in `reference` (by merge key, or by value for primitives) and the rest. */
function partitionByPresence(
  items: readonly Json[],
  reference: readonly Json[],
  mergeKey: string,
): { inPatch: Json[]; serverOnly: Json[] } {
  const inPatch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const item of items) {
    let present: boolean;
    if (mergeKey === '') {
      present = reference.some((value) => goEquals(value, item));
    } else {
      const map = requireMap(item);
      if (!hasOwn(map, mergeKey)) throw noMergeKeyError(map, mergeKey);
      present = findByKey(reference, reference.length, mergeKey, map[mergeKey] as Json) >= 0;
    }
    (present ? inPatch : serverOnly).push(item);
  }
  return { inPatch, serverOnly };
}

/** The value an element is identified by when ordering: its merge key for maps, itself otherwise. */
function identityOf(item: Json | undefined, mergeKey: string, kind: ElementKind): Json {
  if (kind !== 'map') return item ?? null;
  return isJsonObject(item) && hasOwn(item, mergeKey) ? (item[mergeKey] as Json) : null;
}

/** Position of `item` in `order` by identity, or -1. */
function positionIn(order: readonly Json[], item: Json, mergeKey: string, kind: ElementKind): number {
  const identity = identityOf(item, mergeKey, kind);
  return order.findIndex((candidate) => goEquals(identityOf(candidate, mergeKey, kind), identity));
}

/**
 * Sorts patch elements by `patchOrder` and server-only elements by `serverOrder`, then interleaves
 * them: a server-only element goes before a patch element only when both are in the original and
 * it came first there; a patch element the original lacks goes before any server-only element.
 * Example: original [a s b], patch order [b a]: s (original position 1) meets b (position 2)
 * first and leads, giving [s b a]. With patch order [c] (new): [c a s b].
 */
function orderMergedElements(
  inPatch: Json[],
  serverOnly: Json[],
  patchOrder: readonly Json[],
  serverOrder: readonly Json[],
  mergeKey: string,
  kind: ElementKind,
): Json[] {
  const right = sortByOrder(inPatch, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const merged: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) {
      merged.push(left[i++] as Json);
    } else if (i >= left.length) {
      merged.push(right[j++] as Json);
    } else {
      const leftAt = positionIn(serverOrder, left[i] as Json, mergeKey, kind);
      const rightAt = positionIn(serverOrder, right[j] as Json, mergeKey, kind);
      if (leftAt >= 0 && rightAt >= 0 && leftAt < rightAt) merged.push(left[i++] as Json);
      else merged.push(right[j++] as Json);
    }
  }
  return merged;
}

/**
 * Stable sort of `items` by position in `order`; deletion markers go last. The server's comparison
 * calls an element not found in `order` "less" than anything, which is not an order at all; an
 * insertion sort reproduces what Go's stable sort does with it for lists of up to 20 elements, and
 * any stable sort agrees whenever every element is found.
 */
function sortByOrder(items: Json[], order: readonly Json[], mergeKey: string, kind: ElementKind): Json[] {
  let sortable = items;
  let deletions: Json[] = [];
  if (kind === 'map') {
    for (const list of [items, order]) {
      for (const item of list) {
        const map = requireMap(item);
        if (!hasOwn(map, mergeKey)) throw noMergeKeyError(map, mergeKey);
      }
    }
    sortable = items.filter((item) => (item as JsonObject)[DIRECTIVE] !== 'delete');
    deletions = items.filter((item) => (item as JsonObject)[DIRECTIVE] === 'delete');
  }
  const sorted = [...sortable];
  const less = (a: Json, b: Json): boolean => {
    const at = positionIn(order, a, mergeKey, kind);
    const bt = positionIn(order, b, mergeKey, kind);
    return at >= 0 && bt >= 0 ? at < bt : true;
  };
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j] as Json, sorted[j - 1] as Json); j--) {
      [sorted[j], sorted[j - 1]] = [sorted[j - 1] as Json, sorted[j] as Json];
    }
  }
  return [...sorted, ...deletions];
}

/**
 * `$setElementOrder/<field>`: merges the field's patch list (if any) and orders the result by the
 * directive. Handled before the other members; the field's patch list is consumed here.
 */
function mergeOrderedLists(
  original: JsonObject,
  patch: JsonObject,
  path: readonly string[],
  lookup: PatchMetaLookup,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key] as Json;
    delete patch[key];
    if (!Array.isArray(order)) throw badArgTypeError('[]interface {}', order);
    const field = fieldOfDirective(key, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
    const foundOriginal = hasOwn(original, field);
    const foundPatch = hasOwn(patch, field);
    const originalList = foundOriginal ? original[field] : [];
    const patchList = foundPatch ? patch[field] : [];
    if (!Array.isArray(originalList)) throw badArgTypeError('[]interface {}', originalList);
    if (!Array.isArray(patchList)) throw badArgTypeError('[]interface {}', patchList);
    const fieldPath = [...path, field];
    const meta = lookup(fieldPath);
    const strategy = listOrMapStrategy(meta);
    const mergeKey = meta?.mergeKey ?? '';
    checkOrderAgreesWithPatch(patchList, order, mergeKey);

    // Go keeps looking at the original list through its old length while the merge reuses its
    // memory: elements shift left over deleted ones and appended elements land in the freed slots.
    const originalView = viewOf(originalList);
    let merged: Json[];
    if (foundOriginal && !foundPatch) {
      merged = originalList;
    } else if (!foundOriginal && foundPatch) {
      merged = withoutDirectives(patchList) as Json[];
    } else if (foundOriginal && foundPatch) {
      merged = mergeListByStrategy(originalView, patchList, fieldPath, strategy, mergeKey, false, lookup);
    } else {
      continue;
    }
    const serverOrder = itemsOf(originalView);
    if (mergeKey === '' && merged.some((item) => typeof item === 'object' && item !== null)) {
      throw unexpected('runtime error: hash of unhashable type map[string]interface {}');
    }
    const { inPatch, serverOnly } = partitionByPresence(merged, order, mergeKey);
    const kind = sharedElementKind([serverOrder, patchList]);
    setOwn(original, field, orderMergedElements(inPatch, serverOnly, order, serverOrder, mergeKey, kind));
    delete patch[field];
  }
}

/**
 * The patch list must list its elements in the same relative order as `$setElementOrder` and only
 * elements it names (deletions and other `$patch` elements excepted).
 */
function checkOrderAgreesWithPatch(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const elements =
    mergeKey === '' ? patchList : patchList.filter((item) => requireMap(item)[DIRECTIVE] !== 'delete');
  let p = 0;
  let o = 0;
  while (p < elements.length && o < order.length) {
    const element = elements[p] as Json;
    if (isJsonObject(element) && hasOwn(element, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameMergeKey(element, order[o] as Json, mergeKey)) p++;
    o++;
  }
  if (p < elements.length && o >= order.length) {
    throw unexpected(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${formatGoValue(order)}\n`,
    );
  }
}

function sameMergeKey(left: Json, right: Json, mergeKey: string): boolean {
  if (mergeKey === '') return goEquals(left, right);
  const leftMap = requireMap(left);
  const rightMap = requireMap(right);
  if (!hasOwn(leftMap, mergeKey)) throw noMergeKeyError(leftMap, mergeKey);
  if (!hasOwn(rightMap, mergeKey)) throw noMergeKeyError(rightMap, mergeKey);
  return goEquals(leftMap[mergeKey], rightMap[mergeKey]);
}

/**
 * Field paths of `$`-directives left in a patched object, in the form the server's strict decoder
 * names unknown fields (`spec.template.spec.tolerations[0].$patch`). The server leaves directives
 * in lists and maps it replaces as sent (a list without the merge strategy, an element appended to
 * a merging list); its decoder then reports them (Strict), warns (Warn) or drops them (Ignore).
 */
export function findLeftoverDirectives(value: Json, prefix = ''): string[] {
  const found: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      found.push(...findLeftoverDirectives(item, `${prefix}[${index}]`));
    });
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (key.startsWith('$')) found.push(path);
      else found.push(...findLeftoverDirectives(value[key] as Json, path));
    }
  }
  return found;
}
