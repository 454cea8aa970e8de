/**
 * The protobuf wire format, read-only: enough to take a message apart into its fields without a
 * schema. Kubernetes' generated messages use proto2 with varints, length-delimited fields and
 * (for unknown fields of other producers) the fixed-width types; groups are long deprecated but a
 * reader must still be able to step over them.
 */

/** Wire type 0: int32, int64, uint32, uint64, bool, enum (base-128 varint). */
export const WIRE_VARINT = 0;
/** Wire type 1: fixed64, sfixed64, double (8 bytes, little endian). */
export const WIRE_FIXED64 = 1;
/** Wire type 2: string, bytes, nested messages, map entries, packed repeated scalars. */
export const WIRE_LENGTH_DELIMITED = 2;
/** Wire type 3: the start of a (deprecated) group. */
export const WIRE_START_GROUP = 3;
/** Wire type 4: the end of a group. */
export const WIRE_END_GROUP = 4;
/** Wire type 5: fixed32, sfixed32, float (4 bytes, little endian). */
export const WIRE_FIXED32 = 5;

/** The longest varint: 64 bits at 7 bits a byte. */
const MAX_VARINT_BYTES = 10;
/** Groups nest; a hostile body must not recurse without limit. */
const MAX_GROUP_DEPTH = 64;

/** Bytes that are not a well-formed protobuf message; `offset` is where reading failed. */
export class WireFormatError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'WireFormatError';
    this.offset = offset;
  }
}

/** One field occurrence of a message, as it stands on the wire. */
export type WireField =
  | { number: number; wireType: typeof WIRE_VARINT; value: bigint }
  | { number: number; wireType: typeof WIRE_FIXED64; value: bigint }
  | { number: number; wireType: typeof WIRE_LENGTH_DELIMITED; value: Uint8Array }
  | { number: number; wireType: typeof WIRE_FIXED32; value: number };

/**
 * Reads an unsigned base-128 varint at `offset`: seven bits a byte, least significant group
 * first, high bit set on every byte but the last. Example: 0xAC 0x02 is 0x2C + (0x02 << 7) = 300.
 */
export function readVarint(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const at = offset + i;
    if (at >= bytes.length) throw new WireFormatError('truncated varint', offset);
    const byte = bytes[at]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      // The tenth byte may carry only bit 63; anything more overflows 64 bits.
      if (i === MAX_VARINT_BYTES - 1 && byte > 1)
        throw new WireFormatError('varint overflows 64 bits', offset);
      return { value, next: at + 1 };
    }
  }
  throw new WireFormatError('varint longer than 10 bytes', offset);
}

/** Reads a little-endian fixed64 at `offset` as an unsigned 64-bit integer. */
export function readFixed64(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  if (offset + 8 > bytes.length) throw new WireFormatError('truncated fixed64', offset);
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i]!);
  return { value, next: offset + 8 };
}

/** Reads a little-endian fixed32 at `offset` as an unsigned 32-bit integer. */
export function readFixed32(bytes: Uint8Array, offset: number): { value: number; next: number } {
  if (offset + 4 > bytes.length) throw new WireFormatError('truncated fixed32', offset);
  const value =
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0;
  return { value, next: offset + 4 };
}

/** Reads a length prefix and the bytes it announces (a view, not a copy). */
export function readLengthDelimited(bytes: Uint8Array, offset: number): { value: Uint8Array; next: number } {
  const length = readVarint(bytes, offset);
  const start = length.next;
  if (length.value > BigInt(bytes.length - start)) {
    throw new WireFormatError(`length ${length.value} runs past the end of the message`, offset);
  }
  const end = start + Number(length.value);
  return { value: bytes.subarray(start, end), next: end };
}

/**
 * Splits a key into field number and wire type: the key is (number << 3) | wireType, so key 0x12
 * is field 2, wire type 2. Field 0 and numbers above 2^29 - 1 do not exist.
 */
export function splitKey(key: bigint, offset: number): { number: number; wireType: number } {
  const wireType = Number(key & 7n);
  const number = key >> 3n;
  if (number < 1n || number > 0x1fffffffn)
    throw new WireFormatError(`invalid field number ${number}`, offset);
  return { number: Number(number), wireType };
}

/** Steps over a group whose start key was read already; returns the offset after its end key. */
function skipGroup(bytes: Uint8Array, offset: number, number: number, depth: number): number {
  if (depth > MAX_GROUP_DEPTH) throw new WireFormatError('groups nested too deeply', offset);
  let at = offset;
  for (;;) {
    if (at >= bytes.length) throw new WireFormatError(`group ${number} is never closed`, offset);
    const keyStart = at;
    const key = readVarint(bytes, at);
    const field = splitKey(key.value, keyStart);
    at = key.next;
    if (field.wireType === WIRE_END_GROUP) {
      if (field.number !== number) {
        throw new WireFormatError(`group ${number} closed by the end of group ${field.number}`, keyStart);
      }
      return at;
    }
    at = skipValue(bytes, at, field.number, field.wireType, depth + 1);
  }
}

/** Steps over the value of one field of the given wire type; returns the offset after it. */
function skipValue(
  bytes: Uint8Array,
  offset: number,
  number: number,
  wireType: number,
  depth: number,
): number {
  switch (wireType) {
    case WIRE_VARINT:
      return readVarint(bytes, offset).next;
    case WIRE_FIXED64:
      return readFixed64(bytes, offset).next;
    case WIRE_LENGTH_DELIMITED:
      return readLengthDelimited(bytes, offset).next;
    case WIRE_FIXED32:
      return readFixed32(bytes, offset).next;
    case WIRE_START_GROUP:
      return skipGroup(bytes, offset, number, depth);
    default:
      throw new WireFormatError(`unexpected wire type ${wireType} for field ${number}`, offset);
  }
}

/**
 * Takes one message apart: every field occurrence in wire order. Groups are stepped over (no
 * Kubernetes message has one); anything malformed throws WireFormatError.
 */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const keyStart = at;
    const key = readVarint(bytes, at);
    const { number, wireType } = splitKey(key.value, keyStart);
    at = key.next;
    switch (wireType) {
      case WIRE_VARINT: {
        const read = readVarint(bytes, at);
        fields.push({ number, wireType, value: read.value });
        at = read.next;
        break;
      }
      case WIRE_FIXED64: {
        const read = readFixed64(bytes, at);
        fields.push({ number, wireType, value: read.value });
        at = read.next;
        break;
      }
      case WIRE_LENGTH_DELIMITED: {
        const read = readLengthDelimited(bytes, at);
        fields.push({ number, wireType, value: read.value });
        at = read.next;
        break;
      }
      case WIRE_FIXED32: {
        const read = readFixed32(bytes, at);
        fields.push({ number, wireType, value: read.value });
        at = read.next;
        break;
      }
      case WIRE_START_GROUP:
        at = skipGroup(bytes, at, number, 1);
        break;
      default:
        throw new WireFormatError(`unexpected wire type ${wireType} for field ${number}`, keyStart);
    }
  }
  return fields;
}

/** A varint as a proto int32: the low 32 bits, two's complement (-1 travels as ten bytes). */
export function toInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/**
 * A varint as a proto int64 in a JavaScript number: exact up to 2^53 in magnitude, as every
 * count, generation and Unix time in an object is; larger values round like JSON.parse would.
 */
export function toInt64(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}
