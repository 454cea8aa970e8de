/**
 * Server-side decoding of a request body against the schema, the way kube-apiserver decodes into
 * its Go types with the `fieldValidation` directive:
 *
 * - Type errors always fail the request (whatever the directive) with 400 BadRequest:
 *   `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string
 *   into Go struct field DeploymentSpec.spec.replicas of type int32`. Only the first one is
 *   reported, as Go's decoder does.
 * - Unknown and duplicated fields are "strict" errors, collected in text order and deduplicated:
 *   `unknown field "spec.replicass"`, `duplicate field "spec.paused"`. With `Strict` they fail the
 *   request (`... cannot be handled as a Deployment: strict decoding error: unknown field
 *   "spec.replicass", unknown field "..."`); with `Warn`, the default when the parameter is
 *   absent, each becomes a `Warning: 299 - "unknown field \"spec.replicass\""` header and the
 *   object is stored without them; with `Ignore` they are dropped silently.
 *
 * Where the Go types have their own JSON decoding (IntOrString, Quantity, Time, base64 bytes) the
 * messages follow theirs. One known difference: Go prints named string types (`v1.PullPolicy`)
 * where the generated metadata only knows `string`.
 */

import { badRequest, type Status } from '../errors.ts';
import type { Json, JsonObject } from '../objects.ts';
import {
  entriesInTextOrder,
  JsonSyntaxError,
  type ParsedJson,
  parseJsonText,
  setOwnProperty,
} from './json-text.ts';
import {
  type Definition,
  type GroupVersionKind,
  getDefinition,
  getKindSchema,
  type SchemaType,
} from './schema.ts';

/** The `fieldValidation` query parameter's values. */
export type FieldValidationDirective = 'Strict' | 'Warn' | 'Ignore';

/** What decoding a body found. */
export interface DecodeResult {
  /** The body as the server would keep it: unknown fields dropped. Absent when `status` is set. */
  object?: JsonObject;
  /** Messages that fail the request: the strict errors under Strict, or the one type/syntax error. */
  errors: string[];
  /** Warning header texts (Warn): one per unknown or duplicated field. */
  warnings: string[];
  /** Set when the request must fail: a 400 BadRequest Status to send as is. */
  status?: Status;
  /** With `status`: the reason after `... cannot be handled as a <Kind>: `, for callers that word the prefix themselves. */
  reason?: string;
}

/**
 * Reads the `fieldValidation` query value. Absent or empty means `Warn`, the API server's default;
 * an unsupported value gives undefined (the caller answers with an Invalid error).
 */
export function parseFieldValidation(value: string | null | undefined): FieldValidationDirective | undefined {
  if (value === null || value === undefined || value === '') return 'Warn';
  return value === 'Strict' || value === 'Warn' || value === 'Ignore' ? value : undefined;
}

/** A `Warning` header value for one warning text: `299 - "unknown field \"spec.x\""`. */
export function formatWarningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

/** Raised inside the walk for errors that stop Go's decoder at once (custom UnmarshalJSON failures). */
class StopDecoding extends Error {}

/** Records a failure of a type with its own JSON decoding; Go returns it at once instead of going on. */
function failCustomDecoding(state: WalkState, message: string, value: Json): Json {
  recordFailure(state, message);
  if (state.stopOnCustomFailure) throw new StopDecoding();
  return value;
}

interface GoFieldContext {
  /** The Go struct the current field belongs to: `DeploymentSpec`. */
  struct?: string;
  /** JSON names of the struct fields from the root, without list indexes or map keys. */
  stack: string[];
}

interface WalkState {
  parsed: ParsedJson | undefined;
  strictErrors: string[];
  seenStrictErrors: Set<string>;
  /** The first decoding failure (type, quantity, base64, time); it wins over strict errors. */
  failure?: string;
  /** Whether a custom decoder's failure ends the walk, as it ends Go's decoder; pruning goes on. */
  stopOnCustomFailure: boolean;
}

function jsonKindOf(value: Json): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** The Go type a schema type decodes into, as Go prints it in an UnmarshalTypeError. */
export function goTypeName(type: SchemaType): string {
  switch (type.type) {
    case 'string':
      return type.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return type.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${goTypeName(type.items)}`;
    case 'map':
      return `map[string]${goTypeName(type.values)}`;
    case 'ref':
      return getDefinition(type.name)?.goType ?? 'interface {}';
    case 'any':
      return 'interface {}';
  }
}

function recordFailure(state: WalkState, message: string): void {
  state.failure ??= message;
}

function typeErrorMessage(value: string, goType: string, context: GoFieldContext): string {
  if (!context.struct && context.stack.length === 0)
    return `json: cannot unmarshal ${value} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${value} into Go struct field ${context.struct ?? ''}.${context.stack.join('.')} of type ${goType}`;
}

function recordTypeError(state: WalkState, value: Json, goType: string, context: GoFieldContext): void {
  recordFailure(state, typeErrorMessage(jsonKindOf(value), goType, context));
}

function recordStrictError(state: WalkState, message: string): void {
  if (state.seenStrictErrors.has(message) || state.strictErrors.length >= 100) return;
  state.seenStrictErrors.add(message);
  state.strictErrors.push(message);
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function checkInteger(value: number, format: 'int32' | 'int64'): boolean {
  if (!Number.isInteger(value)) return false;
  if (format === 'int32') return value >= INT32_MIN && value <= INT32_MAX;
  return Number.isSafeInteger(value) || Math.abs(value) < 2 ** 63;
}

const BASE64_ALPHABET = /[A-Za-z0-9+/]/;

/**
 * The offset Go's base64.StdEncoding reports for bad input, or undefined when it decodes. Newlines
 * are skipped; padding is required. "hello" fails at byte 4: the last quantum has one character.
 */
export function findBase64Error(text: string): number | undefined {
  let index = 0;
  for (;;) {
    let filled = 0;
    while (filled < 4) {
      if (index === text.length) {
        if (filled === 0) return undefined;
        return index - filled;
      }
      const character = text[index]!;
      index += 1;
      if (BASE64_ALPHABET.test(character)) {
        filled += 1;
        continue;
      }
      if (character === '\n' || character === '\r') continue;
      if (character !== '=') return index - 1;
      if (filled < 2) return index - 1;
      if (filled === 2) {
        while (index < text.length && (text[index] === '\n' || text[index] === '\r')) index += 1;
        if (index === text.length) return text.length;
        if (text[index] !== '=') return index - 1;
        index += 1;
      }
      while (index < text.length && (text[index] === '\n' || text[index] === '\r')) index += 1;
      return index < text.length ? index : undefined;
    }
  }
}

const QUANTITY_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIXES = new Set([
  '',
  'Ki',
  'Mi',
  'Gi',
  'Ti',
  'Pi',
  'Ei',
  'n',
  'u',
  'm',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
]);

/** Why `resource.ParseQuantity` would reject a value, or undefined when it parses. `500m`, `1Gi`, `1e3` parse. */
export function findQuantityError(value: Json): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return QUANTITY_FORMAT;
  const text = String(value).trim();
  const match = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text);
  if (!match) return QUANTITY_FORMAT;
  const [, numeric = '', suffix = ''] = match;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(numeric)) return 'unable to parse numeric part of quantity';
  if (!QUANTITY_SUFFIXES.has(suffix) && !/^[eE][-+]?\d+$/.test(suffix))
    return "unable to parse quantity's suffix";
  return undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function walkDefinition(
  value: Json,
  definition: Definition,
  path: string,
  context: GoFieldContext,
  state: WalkState,
): Json {
  switch (definition.shape) {
    case 'intOrString':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && checkInteger(value, 'int32')) return value;
      // IntOrString decodes anything but a string as an int32.
      return failCustomDecoding(
        state,
        typeErrorMessage(typeof value === 'number' ? `number ${value}` : jsonKindOf(value), 'int32', context),
        value,
      );
    case 'quantity': {
      const problem = findQuantityError(value);
      return problem ? failCustomDecoding(state, problem, value) : value;
    }
    case 'time':
    case 'microTime':
      if (typeof value !== 'string') {
        return failCustomDecoding(state, typeErrorMessage(jsonKindOf(value), 'string', context), value);
      }
      if (!RFC3339.test(value)) {
        const quoted = JSON.stringify(value);
        return failCustomDecoding(
          state,
          `parsing time ${quoted} as "2006-01-02T15:04:05Z07:00": cannot parse ${quoted} as "2006"`,
          value,
        );
      }
      return value;
    case 'opaque':
      return value;
    case 'object':
      break;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    recordTypeError(state, value, definition.goType, context);
    return value;
  }
  const output: JsonObject = {};
  const seenFields = new Set<string>();
  for (const [key, fieldValue] of entriesInTextOrder(state.parsed, value)) {
    const field = definition.fields.get(key);
    const fieldPath = childPath(path, key);
    if (!field) {
      recordStrictError(state, `unknown field ${JSON.stringify(fieldPath)}`);
      continue;
    }
    if (seenFields.has(key)) recordStrictError(state, `duplicate field ${JSON.stringify(fieldPath)}`);
    seenFields.add(key);
    const fieldContext: GoFieldContext = { struct: definition.shortName, stack: [...context.stack, key] };
    const decoded = walkValue(fieldValue, field.type, fieldPath, fieldContext, state);
    // Go leaves a null pointer, slice or map unset, and omitempty drops it when writing back.
    if (decoded === null) delete output[key];
    else setOwnProperty(output, key, decoded);
  }
  return output;
}

function walkValue(
  value: Json,
  type: SchemaType,
  path: string,
  context: GoFieldContext,
  state: WalkState,
): Json {
  if (value === null) return null;
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string') {
        recordTypeError(state, value, goTypeName(type), context);
        return value;
      }
      if (type.format === 'byte') {
        const offset = findBase64Error(value);
        if (offset !== undefined) recordFailure(state, `illegal base64 data at input byte ${offset}`);
      }
      return value;
    case 'integer':
      if (typeof value !== 'number') recordTypeError(state, value, type.format, context);
      else if (!checkInteger(value, type.format))
        recordFailure(state, typeErrorMessage(`number ${value}`, type.format, context));
      return value;
    case 'number':
      if (typeof value !== 'number') recordTypeError(state, value, 'float64', context);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') recordTypeError(state, value, 'bool', context);
      return value;
    case 'any':
      return value;
    case 'array':
      if (!Array.isArray(value)) {
        recordTypeError(state, value, goTypeName(type), context);
        return value;
      }
      return value.map((item, index) => walkValue(item, type.items, `${path}[${index}]`, context, state));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        recordTypeError(state, value, goTypeName(type), context);
        return value;
      }
      const output: JsonObject = {};
      const seenKeys = new Set<string>();
      for (const [key, item] of entriesInTextOrder(state.parsed, value)) {
        const itemPath = childPath(path, key);
        if (seenKeys.has(key)) recordStrictError(state, `duplicate field ${JSON.stringify(itemPath)}`);
        seenKeys.add(key);
        setOwnProperty(output, key, walkValue(item, type.values, itemPath, context, state));
      }
      return output;
    }
    case 'ref': {
      const definition = getDefinition(type.name);
      return definition ? walkDefinition(value, definition, path, context, state) : value;
    }
  }
}

/** Go's summary of a body in "the object provided is unrecognized" errors: 30 characters at most. */
function summarizeBody(text: string): string {
  if (text.length === 0) return '<empty>';
  if (!text.startsWith('{'))
    return Buffer.from(text.slice(0, 30), 'utf8').toString('hex') + (text.length > 30 ? ' ...' : '');
  return text.length > 30 ? `${text.slice(0, 30)} ...` : text;
}

/** The body's own kind and version, which kube-apiserver names in its message. */
function bodyKindAndVersion(body: Json, fallbackVersion: string): { kind?: string; version: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { version: fallbackVersion };
  const kind = typeof body.kind === 'string' && body.kind !== '' ? body.kind : undefined;
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  const version = apiVersion === '' ? fallbackVersion : (apiVersion.split('/').pop() ?? fallbackVersion);
  return { kind, version };
}

/**
 * Wraps a decoding failure the way kube-apiserver's transformDecodeError does:
 * `Deployment in version "v1" cannot be handled as a Deployment: <reason>`.
 */
export function describeDecodeFailure(
  gvk: GroupVersionKind,
  body: Json | undefined,
  bodyText: string,
  reason: string,
): string {
  const { kind, version } = bodyKindAndVersion(body ?? null, gvk.version);
  if (kind)
    return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${gvk.kind}: ${reason}`;
  return `the object provided is unrecognized (must be of type ${gvk.kind}): ${reason} (${summarizeBody(bodyText)})`;
}

function failWith(
  gvk: GroupVersionKind,
  body: Json | undefined,
  bodyText: string,
  reasons: string[],
  joined: string,
): DecodeResult {
  const message = describeDecodeFailure(gvk, body, bodyText, joined);
  return { errors: reasons, warnings: [], status: badRequest(message).status, reason: joined };
}

/**
 * Decodes a request body for the kind `gvk` (the kind the URL addresses) under a fieldValidation
 * directive. `body` may be the raw text or bytes (then duplicated keys are found too) or an
 * already-parsed value. Kinds without a schema pass through unchecked.
 */
export function decodeStrict(
  gvk: GroupVersionKind,
  body: string | Uint8Array | Json,
  mode: FieldValidationDirective,
): DecodeResult {
  let parsed: ParsedJson | undefined;
  let value: Json;
  let bodyText: string;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    bodyText = typeof body === 'string' ? body : new TextDecoder().decode(body);
    try {
      parsed = parseJsonText(bodyText);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      const reason = `couldn't get version/kind; json parse error: ${error.message}`;
      return failWith(gvk, undefined, bodyText, [reason], reason);
    }
    value = parsed.value;
  } else {
    value = body;
    bodyText = JSON.stringify(body) ?? '';
  }

  const definition = getKindSchema(gvk.group, gvk.version, gvk.kind);
  if (!definition) {
    const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    return { object, errors: [], warnings: [] };
  }

  const state: WalkState = {
    parsed,
    strictErrors: [],
    seenStrictErrors: new Set(),
    stopOnCustomFailure: true,
  };
  let decoded: Json = null;
  try {
    decoded = walkDefinition(value, definition, '', { stack: [] }, state);
  } catch (error) {
    if (!(error instanceof StopDecoding)) throw error;
  }
  if (state.failure) return failWith(gvk, value, bodyText, [state.failure], state.failure);
  const object = decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? decoded : {};
  if (state.strictErrors.length === 0 || mode === 'Ignore') return { object, errors: [], warnings: [] };
  if (mode === 'Warn') return { object, errors: [], warnings: state.strictErrors };
  return failWith(
    gvk,
    value,
    bodyText,
    state.strictErrors,
    `strict decoding error: ${state.strictErrors.join(', ')}`,
  );
}

/**
 * The object with every field the schema does not know removed, at any depth, as decoding into the
 * Go types would leave it. Type errors are not checked here; use decodeStrict for that.
 */
export function pruneUnknownFields(gvk: GroupVersionKind, object: JsonObject): JsonObject {
  const definition = getKindSchema(gvk.group, gvk.version, gvk.kind);
  if (!definition) return object;
  const state: WalkState = {
    parsed: undefined,
    strictErrors: [],
    seenStrictErrors: new Set(),
    stopOnCustomFailure: false,
  };
  const pruned = walkDefinition(object, definition, '', { stack: [] }, state);
  return pruned !== null && typeof pruned === 'object' && !Array.isArray(pruned) ? pruned : object;
}
