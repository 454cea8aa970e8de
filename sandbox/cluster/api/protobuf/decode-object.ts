/**
 * Kubernetes protobuf bodies to the JSON object kubectl would have sent instead: the `k8s\0`
 * envelope, the runtime.Unknown around the object, and the object itself through the message
 * tables. Go's JSON rules for zero values are applied field by field (see message-tables.ts), so
 * the result is the same object a JSON-speaking kubectl sends for the same command.
 */
import type { Json, JsonObject, KubeObject } from '../objects.ts';
import { formatGoBytes, formatGoDuration, formatKubeTime } from './go-json-values.ts';
import {
  ANY_VERSION_KINDS,
  type FieldSpec,
  isScalarType,
  isSpecialType,
  MESSAGES,
  type MessageSpec,
  TOP_LEVEL_KINDS,
  UNSUPPORTED_MESSAGES,
} from './message-tables.ts';
import {
  readFields,
  toInt32,
  toInt64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  type WireField,
  WireFormatError,
} from './wire-reader.ts';

/** The four bytes every Kubernetes protobuf body starts with: `k8s` and a NUL. */
export const KUBERNETES_PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** Field numbers of runtime.Unknown and runtime.TypeMeta (k8s.io/apimachinery pkg/runtime). */
const UNKNOWN_TYPE_META = 1;
const UNKNOWN_RAW = 2;
const UNKNOWN_CONTENT_ENCODING = 3;
const UNKNOWN_CONTENT_TYPE = 4;
const TYPE_META_API_VERSION = 1;
const TYPE_META_KIND = 2;

/** A body that is not well-formed Kubernetes protobuf (answered 400). `path` names where. */
export class ProtobufDecodeError extends Error {
  readonly path: string;
  constructor(message: string, path = '') {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ProtobufDecodeError';
    this.path = path;
  }
}

/**
 * A well-formed body this server cannot read from protobuf (answered 415): a kind or field type
 * the tables leave out. `subject` names it, e.g. `Job (batch/v1)` or `field spec.affinity (Affinity)`.
 */
export class UnsupportedProtobufError extends Error {
  readonly subject: string;
  constructor(subject: string) {
    super(`the embedded cluster cannot read ${subject} from a protobuf body yet`);
    this.name = 'UnsupportedProtobufError';
    this.subject = subject;
  }
}

/** The runtime.Unknown envelope of a body. */
export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  /** The object's own message. */
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const utf8 = new TextDecoder('utf-8');

/** Where a field sits, for messages: `spec.template.spec.containers[0].image`. */
function joinPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** readFields with the failure turned into a decode error that says where. */
function readMessageFields(bytes: Uint8Array, path: string): WireField[] {
  try {
    return readFields(bytes);
  } catch (error) {
    if (error instanceof WireFormatError) throw new ProtobufDecodeError(error.message, path);
    throw error;
  }
}

function expectBytes(field: WireField, path: string): Uint8Array {
  if (field.wireType !== WIRE_LENGTH_DELIMITED) {
    throw new ProtobufDecodeError(
      `expected a length-delimited value, found wire type ${field.wireType}`,
      path,
    );
  }
  return field.value;
}

function expectVarint(field: WireField, path: string): bigint {
  if (field.wireType !== WIRE_VARINT) {
    throw new ProtobufDecodeError(`expected a varint, found wire type ${field.wireType}`, path);
  }
  return field.value;
}

/** Concatenates the occurrences of an embedded message: on the wire, that is how they merge. */
function mergeOccurrences(found: WireField[], path: string): Uint8Array {
  if (found.length === 1) return expectBytes(found[0]!, path);
  const parts = found.map((field) => expectBytes(field, path));
  const merged = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    merged.set(part, at);
    at += part.length;
  }
  return merged;
}

/** The last occurrence of each field number of a small fixed message (Time, IntOrString...). */
function lastByNumber(bytes: Uint8Array, path: string): Map<number, WireField> {
  const last = new Map<number, WireField>();
  for (const field of readMessageFields(bytes, path)) last.set(field.number, field);
  return last;
}

/** Parses a byte string that Go's JSON would embed verbatim (RawExtension, FieldsV1). */
function parseEmbeddedJson(bytes: Uint8Array, path: string): Json {
  try {
    return JSON.parse(utf8.decode(bytes)) as Json;
  } catch {
    throw new ProtobufDecodeError('embedded raw value is not JSON', path);
  }
}

/** The JSON of a special type from its message bytes (empty bytes for a zero value). */
function decodeSpecial(type: string, bytes: Uint8Array, path: string): Json {
  const fields = lastByNumber(bytes, path);
  switch (type) {
    case 'Time': {
      // Go writes nothing for the zero time; a message with any content is seconds since the epoch.
      if (bytes.length === 0) return null;
      const seconds = fields.get(1);
      try {
        return formatKubeTime(seconds ? toInt64(expectVarint(seconds, path)) : 0);
      } catch (error) {
        throw new ProtobufDecodeError((error as Error).message, path);
      }
    }
    case 'Duration': {
      const nanoseconds = fields.get(1);
      return formatGoDuration(nanoseconds ? BigInt.asIntN(64, expectVarint(nanoseconds, path)) : 0n);
    }
    case 'Quantity': {
      // The sender wrote its canonical string; a zero Quantity is "0" in JSON.
      const text = fields.get(1);
      return text ? utf8.decode(expectBytes(text, path)) : '0';
    }
    case 'IntOrString': {
      const kind = fields.get(1);
      const isString = kind !== undefined && toInt64(expectVarint(kind, path)) === 1;
      if (isString) {
        const text = fields.get(3);
        return text ? utf8.decode(expectBytes(text, path)) : '';
      }
      const number = fields.get(2);
      return number ? toInt32(expectVarint(number, path)) : 0;
    }
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = fields.get(1);
      return raw ? parseEmbeddedJson(expectBytes(raw, path), path) : null;
    }
    default:
      throw new Error(`no decoder for special type ${type}`);
  }
}

/** The JSON of one value of `type` from one wire occurrence (or merged message bytes). */
function decodeValue(type: string, occurrence: WireField | Uint8Array, path: string): Json {
  const field: WireField =
    occurrence instanceof Uint8Array
      ? { number: 0, wireType: WIRE_LENGTH_DELIMITED, value: occurrence }
      : occurrence;
  switch (type) {
    case 'string':
      return utf8.decode(expectBytes(field, path));
    case 'bytes':
      return formatGoBytes(expectBytes(field, path));
    case 'int32':
      return toInt32(expectVarint(field, path));
    case 'int64':
      return toInt64(expectVarint(field, path));
    case 'bool':
      return expectVarint(field, path) !== 0n;
  }
  if (isSpecialType(type)) return decodeSpecial(type, expectBytes(field, path), path);
  if (UNSUPPORTED_MESSAGES.includes(type)) {
    throw new UnsupportedProtobufError(`field ${path} (${type})`);
  }
  const message = MESSAGES.get(type);
  if (!message) throw new Error(`message table names unknown type ${type}`);
  return decodeMessage(expectBytes(field, path), message, path);
}

/** The zero value of a scalar, as Go holds a field that was not on the wire. */
function zeroScalar(type: string): Json {
  switch (type) {
    case 'string':
      return '';
    case 'int32':
    case 'int64':
      return 0;
    case 'bool':
      return false;
    default:
      return null;
  }
}

/** Decodes a map<string, T>: each occurrence is an entry message with key 1 and value 2. */
function decodeMap(field: FieldSpec, found: WireField[], path: string): JsonObject {
  const entries = new Map<string, Json>();
  for (const occurrence of found) {
    const entry = lastByNumber(expectBytes(occurrence, path), path);
    const keyField = entry.get(1);
    const key = keyField ? utf8.decode(expectBytes(keyField, path)) : '';
    const valueField = entry.get(2);
    const valuePath = `${path}[${JSON.stringify(key)}]`;
    // Go fills a missing map value with the zero value: "" for strings and bytes, "0" for a Quantity.
    const value = valueField
      ? decodeValue(field.type, valueField, valuePath)
      : field.type === 'string' || field.type === 'bytes'
        ? ''
        : decodeValue(field.type, new Uint8Array(0), valuePath);
    entries.set(key, value);
  }
  // Go's JSON writes map keys sorted.
  const sorted: JsonObject = {};
  for (const key of [...entries.keys()].sort()) {
    // Defined, not assigned: a key such as "__proto__" must stay an ordinary entry, as JSON.parse keeps it.
    Object.defineProperty(sorted, key, {
      value: entries.get(key)!,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return sorted;
}

/**
 * The JSON of one field from its wire occurrences, or undefined when Go's JSON leaves it out.
 * Example: `replicas` (*int32) sent as 0 gives 0; `minReadySeconds` (int32, omitempty) sent as 0
 * gives undefined; `port` (int32, no omitempty) not sent gives 0.
 */
function decodeField(field: FieldSpec, found: WireField[], path: string): Json | undefined {
  const absent = found.length === 0;
  switch (field.shape) {
    case 'repeated':
      if (absent) return field.alwaysWritten ? null : undefined;
      return found.map((occurrence, index) => decodeValue(field.type, occurrence, `${path}[${index}]`));
    case 'map':
      if (absent) return field.alwaysWritten ? null : undefined;
      return decodeMap(field, found, path);
    case 'pointer':
      if (absent) return field.alwaysWritten ? null : undefined;
      return isScalarType(field.type)
        ? decodeValue(field.type, found.at(-1)!, path)
        : decodeValue(field.type, mergeOccurrences(found, path), path);
    case 'value': {
      if (!isScalarType(field.type)) {
        // A struct is always written, decoded from nothing when absent.
        return decodeValue(field.type, absent ? new Uint8Array(0) : mergeOccurrences(found, path), path);
      }
      if (absent) return field.alwaysWritten ? zeroScalar(field.type) : undefined;
      const value = decodeValue(field.type, found.at(-1)!, path);
      const isZero = value === '' || value === 0 || value === false;
      return isZero && !field.alwaysWritten ? undefined : value;
    }
  }
}

/**
 * Decodes one message through its table into a JSON object; fields the table does not know
 * (newer than these tables) are skipped. `path` names the message in error messages.
 */
export function decodeMessage(bytes: Uint8Array, message: MessageSpec, path = ''): JsonObject {
  const byNumber = new Map<number, WireField[]>();
  for (const field of readMessageFields(bytes, path)) {
    if (!message.byNumber.has(field.number)) continue;
    const list = byNumber.get(field.number);
    if (list) list.push(field);
    else byNumber.set(field.number, [field]);
  }
  const object: JsonObject = {};
  for (const field of message.fields) {
    const found = byNumber.get(field.number) ?? [];
    if (field.jsonName === undefined) {
      const embedded = decodeValue(field.type, mergeOccurrences(found, path), path) as JsonObject;
      Object.assign(object, embedded);
      continue;
    }
    const value = decodeField(field, found, joinPath(path, field.jsonName));
    if (value !== undefined) object[field.jsonName] = value;
  }
  return object;
}

/** True when `bytes` starts with the Kubernetes protobuf magic. */
export function hasKubernetesMagic(bytes: Uint8Array): boolean {
  return KUBERNETES_PROTOBUF_MAGIC.every((byte, index) => bytes[index] === byte);
}

/** Reads the `k8s\0` magic and the runtime.Unknown after it. */
export function readEnvelope(bytes: Uint8Array): ProtobufEnvelope {
  if (!hasKubernetesMagic(bytes)) {
    throw new ProtobufDecodeError(
      'the body does not start with the Kubernetes protobuf magic bytes "k8s\\0"',
    );
  }
  const envelope: ProtobufEnvelope = {
    apiVersion: '',
    kind: '',
    raw: new Uint8Array(0),
    contentEncoding: '',
    contentType: '',
  };
  const typeMetaParts: WireField[] = [];
  for (const field of readMessageFields(bytes.subarray(KUBERNETES_PROTOBUF_MAGIC.length), 'envelope')) {
    if (field.number === UNKNOWN_TYPE_META) typeMetaParts.push(field);
    else if (field.number === UNKNOWN_RAW) envelope.raw = expectBytes(field, 'envelope.raw');
    else if (field.number === UNKNOWN_CONTENT_ENCODING)
      envelope.contentEncoding = utf8.decode(expectBytes(field, 'envelope.contentEncoding'));
    else if (field.number === UNKNOWN_CONTENT_TYPE)
      envelope.contentType = utf8.decode(expectBytes(field, 'envelope.contentType'));
  }
  if (typeMetaParts.length > 0) {
    const typeMeta = lastByNumber(mergeOccurrences(typeMetaParts, 'envelope.typeMeta'), 'envelope.typeMeta');
    const apiVersion = typeMeta.get(TYPE_META_API_VERSION);
    const kind = typeMeta.get(TYPE_META_KIND);
    if (apiVersion)
      envelope.apiVersion = utf8.decode(expectBytes(apiVersion, 'envelope.typeMeta.apiVersion'));
    if (kind) envelope.kind = utf8.decode(expectBytes(kind, 'envelope.typeMeta.kind'));
  }
  return envelope;
}

/**
 * Decodes a whole `application/vnd.kubernetes.protobuf` body into the JSON object kubectl would
 * send as JSON: `kind` and `apiVersion` from the envelope, the rest from the object's message.
 * Throws ProtobufDecodeError for malformed bodies and UnsupportedProtobufError for kinds and
 * fields the tables leave out.
 */
export function decodeKubernetesProtobuf(bytes: Uint8Array): KubeObject {
  const envelope = readEnvelope(bytes);
  if (!envelope.kind || !envelope.apiVersion) {
    throw new ProtobufDecodeError(
      'the protobuf envelope does not name the apiVersion and kind of its object',
    );
  }
  if (envelope.contentEncoding !== '') {
    throw new UnsupportedProtobufError(`content encoding "${envelope.contentEncoding}"`);
  }
  if (
    envelope.contentType !== '' &&
    !envelope.contentType.startsWith('application/vnd.kubernetes.protobuf')
  ) {
    throw new UnsupportedProtobufError(`an envelope around "${envelope.contentType}" content`);
  }
  const messageName =
    TOP_LEVEL_KINDS[`${envelope.apiVersion}/${envelope.kind}`] ?? ANY_VERSION_KINDS[envelope.kind];
  if (!messageName) {
    throw new UnsupportedProtobufError(`${envelope.kind} (${envelope.apiVersion})`);
  }
  const decoded = decodeMessage(envelope.raw, MESSAGES.get(messageName)!);
  return { kind: envelope.kind, apiVersion: envelope.apiVersion, ...decoded } as KubeObject;
}
