/**
 * JSON patch (RFC 6902, `application/json-patch+json`) as the Kubernetes API server applies it.
 * `kubectl rollout undo` sends one (replace /spec/template and /metadata/annotations), and
 * `kubectl patch --type json` sends whatever the learner typed.
 *
 * The server uses evanphx/json-patch v4, which departs from the RFC in ways a learner can see, and
 * we follow the library rather than the RFC:
 * - `replace` of a missing object member adds it instead of failing;
 * - `copy` from a missing object member copies null;
 * - negative array indices count from the end (`/-1` in `add` means after the last element);
 * - a path without a leading `/` names a member of the root (`spec` alone does not resolve at all);
 * - `add` or `remove` with path "" fails; `replace` with path "" swaps the whole document for an
 *   object or array value and silently ignores any other value;
 * - an operation with no `value` adds or replaces null.
 * Every failure while applying answers 422 with the server's generic text; the library's message
 * (`testing value /spec/replicas failed: test failed`) is kept in `PatchError.detail`.
 */

import type { Json, JsonObject } from '../objects.ts';
import {
  type PatchError,
  patchBadRequest,
  patchedDocumentInvalid,
  patchFailedUnexpectedly,
  patchRejected,
  patchTooLarge,
} from './errors.ts';
import { cloneJson, describeJsonKind, hasOwn, isJsonObject, jsonEqual, setOwn } from './json-values.ts';

/** How strictly the server checks field names (`?fieldValidation=`); the server's default is Warn. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options shared by the patch functions. */
export interface PatchOptions {
  /** The request's `fieldValidation` query parameter; absent means Warn, as on the server. */
  fieldValidation?: FieldValidation;
  /** Receives each warning the server would send in a `Warning` header (field validation Warn). */
  onWarning?: (message: string) => void;
}

/** The most operations one JSON patch may hold before the server answers 413. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** How many bytes `copy` operations may add to a document in one patch (the server's default). */
export const MAX_JSON_PATCH_COPY_BYTES = 3 * 1024 * 1024;

/** The fields of an operation the server's strict decoder knows. */
const OPERATION_FIELDS = new Set(['op', 'path', 'from', 'value']);

/** A place an operation reads or writes: a member of an object or a slot of an array. */
interface Location {
  container: JsonObject | Json[];
  key: string;
}

/** A failure inside one operation, with the library's wording. */
class OperationFailure extends Error {}

/** The library would have crashed (nil dereference); the server answers that as an internal error. */
class OperationCrash extends Error {}

/**
 * Applies a JSON patch to a copy of `document` and returns the result, which may not be an object
 * (a root `replace` can make it an array). Throws PatchError with the server's status and message.
 * Example: `[{"op":"test","path":"/spec/replicas","value":3}]` against replicas 2 throws 422 with
 * detail `testing value /spec/replicas failed: test failed`.
 */
export function applyJsonPatch(document: Json, patch: Json, options: PatchOptions = {}): Json {
  const validation = options.fieldValidation ?? 'Warn';
  const unknownFields = validation === 'Ignore' ? [] : checkOperationsStrictly(patch);
  const operations = decodeOperations(patch);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw patchTooLarge(MAX_JSON_PATCH_OPERATIONS, operations.length);
  }
  const patched = runOperations(cloneJson(document), operations);
  const strictMessages = unknownFields.map((path) => `json patch unknown field ${JSON.stringify(path)}`);
  if (strictMessages.length > 0) {
    if (validation === 'Strict') {
      throw patchedDocumentInvalid(
        JSON.stringify(patched),
        `strict decoding error: ${strictMessages.join(', ')}`,
      );
    }
    for (const message of strictMessages) options.onWarning?.(message);
  }
  return patched;
}

/**
 * The server first decodes the body into its own operation type when validation is Strict or Warn:
 * type errors fail the request (400), unknown fields are collected (`[0].valeu`) for later.
 */
function checkOperationsStrictly(patch: Json): string[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw decodeFailure(
      `error decoding patch: json: cannot unmarshal ${describeJsonKind(patch)} into Go value of type []handlers.jsonPatchOp`,
    );
  }
  const unknown: string[] = [];
  patch.forEach((operation, index) => {
    if (operation === null) return;
    if (!isJsonObject(operation)) {
      throw decodeFailure(
        `error decoding patch: json: cannot unmarshal ${describeJsonKind(operation)} into Go value of type handlers.jsonPatchOp`,
      );
    }
    for (const [field, value] of Object.entries(operation)) {
      if (!OPERATION_FIELDS.has(field)) {
        unknown.push(`[${index}].${field}`);
      } else if (field !== 'value' && value !== null && typeof value !== 'string') {
        throw decodeFailure(
          `error decoding patch: json: cannot unmarshal ${describeJsonKind(value)} into Go struct field jsonPatchOp.${field} of type string`,
        );
      }
    }
  });
  return unknown;
}

/** The library's own decoding: a list (or null) of objects (or nulls), anything inside them. */
function decodeOperations(patch: Json): (JsonObject | null)[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw decodeFailure(
      `json: cannot unmarshal ${describeJsonKind(patch)} into Go value of type jsonpatch.Patch`,
    );
  }
  return patch.map((operation) => {
    if (operation !== null && !isJsonObject(operation)) {
      throw decodeFailure(
        `json: cannot unmarshal ${describeJsonKind(operation)} into Go value of type jsonpatch.Operation`,
      );
    }
    return operation;
  });
}

function decodeFailure(message: string): PatchError {
  return patchBadRequest(message);
}

/** Runs the operations in order on `document` (already a private copy). */
function runOperations(document: Json, operations: (JsonObject | null)[]): Json {
  const root = { document };
  const copied = { bytes: 0 };
  for (const operation of operations) {
    try {
      applyOperation(root, operation ?? {}, copied);
    } catch (error) {
      if (error instanceof OperationFailure) throw patchRejected(error.message);
      if (error instanceof OperationCrash) throw patchFailedUnexpectedly(error.message);
      throw error;
    }
  }
  return root.document;
}

/** The operations by name; each reads and changes the document held by `root`. */
const OPERATIONS: Readonly<
  Record<string, (root: { document: Json }, operation: JsonObject, copied: { bytes: number }) => void>
> = {
  add: (root, operation) => addValue(root.document, operation),
  remove: (root, operation) => removeValue(root.document, operation),
  replace: (root, operation) => replaceValue(root, operation),
  move: (root, operation) => moveValue(root.document, operation),
  test: (root, operation) => testValue(root.document, operation),
  copy: (root, operation, copied) => copyValue(root.document, operation, copied),
};

function applyOperation(root: { document: Json }, operation: JsonObject, copied: { bytes: number }): void {
  const kind = typeof operation.op === 'string' ? operation.op : 'unknown';
  const run = Object.hasOwn(OPERATIONS, kind) ? OPERATIONS[kind] : undefined;
  if (!run) throw new OperationFailure(`Unexpected kind: ${kind}`);
  run(root, operation, copied);
}

const MISSING = 'missing value';
const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';

/** Reads the `path` or `from` member the way the library does; undefined when it is absent or null. */
function readPointer(operation: JsonObject, field: 'path' | 'from'): string | undefined | { error: string } {
  const value = operation[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    return { error: `json: cannot unmarshal ${describeJsonKind(value)} into Go value of type string` };
  return value;
}

/** The path of an operation, with the wording each operation uses when it cannot be read. */
function requirePath(operation: JsonObject, name: string, wrapsCause: boolean): string {
  const path = readPointer(operation, 'path');
  if (typeof path === 'string') return path;
  if (!wrapsCause) throw new OperationFailure(`${name} operation failed to decode path: ${MISSING}`);
  const cause = path === undefined ? `operation missing path field: ${MISSING}` : path.error;
  throw new OperationFailure(`${name} operation failed to decode path: ${cause}`);
}

function requireFrom(operation: JsonObject, name: string): string {
  const from = readPointer(operation, 'from');
  if (typeof from === 'string') return from;
  const cause = from === undefined ? `operation, missing from field: ${MISSING}` : from.error;
  throw new OperationFailure(`${name} operation failed to decode from: ${cause}`);
}

/** The operation's value; undefined when the member is absent (the library then stores null). */
function operationValue(operation: JsonObject): Json | undefined {
  return hasOwn(operation, 'value') ? (operation.value as Json) : undefined;
}

/** RFC 6901 token decoding: `~1` is `/`, then `~0` is `~`, scanning left to right. */
function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (sequence) => (sequence === '~1' ? '/' : '~'));
}

/**
 * Finds the container a pointer ends in, walking every token but the last. Returns undefined where
 * the library reports "doc is missing path": a pointer with no `/`, a missing or null member on the
 * way, a bad index, or a scalar in the middle.
 */
function locate(document: Json, pointer: string): Location | undefined {
  const tokens = pointer.split('/');
  if (tokens.length < 2) return undefined;
  let node: Json = document;
  for (const token of tokens.slice(1, -1)) {
    if (!isContainer(node)) return undefined;
    let next: Json | undefined;
    try {
      next = readMember(node, decodeToken(token));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null || !isContainer(next)) return undefined;
    node = next;
  }
  if (!isContainer(node)) return undefined;
  return { container: node, key: decodeToken(tokens[tokens.length - 1] as string) };
}

function isContainer(value: Json | undefined): value is JsonObject | Json[] {
  return typeof value === 'object' && value !== null;
}

/**
 * Go's strconv.Atoi: optional sign, decimal digits, nothing else. Example: `+1` → 1, `01` → 1,
 * `1.0` and ` 1` are errors.
 */
function parseIndex(key: string): number {
  if (!/^[+-]?\d+$/.test(key))
    throw new OperationFailure(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const index = Number(key);
  if (!Number.isSafeInteger(index))
    throw new OperationFailure(`strconv.Atoi: parsing ${JSON.stringify(key)}: value out of range`);
  return index;
}

function invalidIndex(index: number): OperationFailure {
  return new OperationFailure(`Unable to access invalid index: ${index}: invalid index referenced`);
}

/**
 * Resolves a possibly negative index against `length` the way the library does: -1 is the last
 * slot, anything below -length fails. Example with length 3: -1 → 2, -3 → 0, -4 fails.
 */
function resolveIndex(index: number, length: number): number {
  if (index < 0) {
    if (index < -length) throw invalidIndex(index);
    return index + length;
  }
  return index;
}

/** A member's value: undefined when an object lacks it; errors for bad array slots. */
function readMember(container: JsonObject | Json[], key: string): Json | undefined {
  if (!Array.isArray(container)) return hasOwn(container, key) ? (container[key] as Json) : undefined;
  const index = resolveIndex(parseIndex(key), container.length);
  if (index >= container.length) throw invalidIndex(index);
  return container[index] as Json;
}

function insertMember(container: JsonObject | Json[], key: string, value: Json): void {
  if (!Array.isArray(container)) {
    setOwn(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let index: number;
  try {
    index = parseIndex(key);
  } catch (error) {
    throw new OperationFailure(`value was not a proper array index: '${key}': ${(error as Error).message}`);
  }
  // An insertion has one more slot than the array: with 3 elements, indices 0..3 and -4..-1.
  const slots = container.length + 1;
  if (index >= slots) throw invalidIndex(index);
  container.splice(resolveIndex(index, slots), 0, value);
}

function deleteMember(container: JsonObject | Json[], key: string): void {
  if (!Array.isArray(container)) {
    if (!hasOwn(container, key))
      throw new OperationFailure(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete container[key];
    return;
  }
  const parsed = parseIndex(key);
  if (parsed >= container.length) throw invalidIndex(parsed);
  container.splice(resolveIndex(parsed, container.length), 1);
}

function overwriteMember(container: JsonObject | Json[], key: string, value: Json): void {
  if (!Array.isArray(container)) {
    setOwn(container, key, value);
    return;
  }
  container[resolveIndex(parseIndex(key), container.length)] = value;
}

/** Runs `step`, prefixing a failure with the library's context text. */
function withContext<T>(context: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof OperationFailure) throw new OperationFailure(`${context}: ${error.message}`);
    throw error;
  }
}

function addValue(document: Json, operation: JsonObject): void {
  const path = requirePath(operation, 'add', false);
  const location = locate(document, path);
  if (!location)
    throw new OperationFailure(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  withContext(`error in add for path: '${path}'`, () =>
    insertMember(location.container, location.key, cloneJson(operationValue(operation) ?? null)),
  );
}

function removeValue(document: Json, operation: JsonObject): void {
  const path = requirePath(operation, 'remove', false);
  const location = locate(document, path);
  if (!location)
    throw new OperationFailure(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  withContext(`error in remove for path: '${path}'`, () => deleteMember(location.container, location.key));
}

function replaceValue(root: { document: Json }, operation: JsonObject): void {
  const path = requirePath(operation, 'replace', true);
  const value = operationValue(operation);
  if (path === '') {
    if (value === undefined) throw new OperationCrash(NIL_DEREFERENCE);
    // Only an object or array can become the document; the library returns no error otherwise.
    if (isContainer(value)) root.document = cloneJson(value);
    return;
  }
  const location = locate(root.document, path);
  if (!location)
    throw new OperationFailure(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  try {
    readMember(location.container, location.key);
  } catch {
    throw new OperationFailure(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
  }
  overwriteMember(location.container, location.key, cloneJson(value ?? null));
}

function moveValue(document: Json, operation: JsonObject): void {
  const from = requireFrom(operation, 'move');
  const source = locate(document, from);
  if (!source)
    throw new OperationFailure(
      `move operation does not apply: doc is missing from path: ${from}: ${MISSING}`,
    );
  const value = withContext(`error in move for path: '${source.key}'`, () => {
    const found = readMember(source.container, source.key);
    deleteMember(source.container, source.key);
    return found;
  });
  const path = requirePath(operation, 'move', true);
  const target = locate(document, path);
  if (!target)
    throw new OperationFailure(
      `move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`,
    );
  withContext(`error in move for path: '${path}'`, () =>
    insertMember(target.container, target.key, value ?? null),
  );
}

function copyValue(document: Json, operation: JsonObject, copied: { bytes: number }): void {
  const from = requireFrom(operation, 'copy');
  const source = locate(document, from);
  if (!source)
    throw new OperationFailure(
      `copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`,
    );
  const value =
    withContext(`error in copy for from: '${from}'`, () => readMember(source.container, source.key)) ?? null;
  const path = requirePath(operation, 'copy', false);
  const target = locate(document, path);
  if (!target)
    throw new OperationFailure(
      `copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`,
    );
  // The library counts the bytes of the copied value; a missing or null member counts nothing.
  copied.bytes += value === null ? 0 : Buffer.byteLength(JSON.stringify(value));
  if (copied.bytes > MAX_JSON_PATCH_COPY_BYTES) {
    throw new OperationFailure(
      `Unable to complete the copy, the accumulated size increase of copy is ${copied.bytes}, exceeding the limit ${MAX_JSON_PATCH_COPY_BYTES}`,
    );
  }
  withContext('error while adding value during copy', () =>
    insertMember(target.container, target.key, cloneJson(value)),
  );
}

function testValue(document: Json, operation: JsonObject): void {
  const path = requirePath(operation, 'test', true);
  const expected = operationValue(operation);
  const failed = new OperationFailure(`testing value ${path} failed: test failed`);
  if (path === '') {
    if (expected === undefined) throw new OperationCrash(NIL_DEREFERENCE);
    if (!jsonEqual(document, expected)) throw failed;
    return;
  }
  const location = locate(document, path);
  if (!location)
    throw new OperationFailure(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
  const actual = withContext(`error in test for path: '${path}'`, () =>
    readMember(location.container, location.key),
  );
  // The library cannot tell a missing member from a null one: both pass a test for null.
  if (actual === undefined || actual === null) {
    if (expected === undefined) throw new OperationCrash(NIL_DEREFERENCE);
    if (expected !== null) throw failed;
    return;
  }
  if (expected === undefined || !jsonEqual(actual, expected)) throw failed;
}
