/**
 * A tiny protobuf writer for tests: enough to build the messages the decoder must read, including
 * the odd cases (ten-byte negative varints, fixed-width unknown fields, groups, split messages)
 * that kubectl never sends but a reader must survive.
 */

/** Encodes an unsigned varint; negative numbers are written as their 64-bit two's complement. */
export function encodeVarint(value: number | bigint): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Uint8Array.from(out);
}

/** Concatenates byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A field key: number and wire type. */
export function encodeKey(number: number, wireType: number): Uint8Array {
  return encodeVarint((BigInt(number) << 3n) | BigInt(wireType));
}

/** A varint field (int32, int64, bool). */
export function varintField(number: number, value: number | bigint | boolean): Uint8Array {
  return concatBytes(
    encodeKey(number, 0),
    encodeVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value),
  );
}

/** A length-delimited field holding raw bytes. */
export function bytesField(number: number, bytes: Uint8Array): Uint8Array {
  return concatBytes(encodeKey(number, 2), encodeVarint(bytes.length), bytes);
}

/** A string field. */
export function stringField(number: number, text: string): Uint8Array {
  return bytesField(number, new TextEncoder().encode(text));
}

/** An embedded message field built from its own fields. */
export function messageField(number: number, ...fields: Uint8Array[]): Uint8Array {
  return bytesField(number, concatBytes(...fields));
}

/** A map<string, string> entry. */
export function mapEntry(number: number, key: string, value: string): Uint8Array {
  return messageField(number, stringField(1, key), stringField(2, value));
}

/** A fixed32 field (4 bytes little endian). */
export function fixed32Field(number: number, value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return concatBytes(encodeKey(number, 5), bytes);
}

/** A fixed64 field (8 bytes little endian). */
export function fixed64Field(number: number, value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return concatBytes(encodeKey(number, 1), bytes);
}

/** A group: start key, its fields, end key. */
export function groupField(number: number, ...fields: Uint8Array[]): Uint8Array {
  return concatBytes(encodeKey(number, 3), ...fields, encodeKey(number, 4));
}

/** A whole Kubernetes protobuf body: magic, then runtime.Unknown around the object's message. */
export function kubernetesBody(apiVersion: string, kind: string, ...objectFields: Uint8Array[]): Uint8Array {
  return concatBytes(
    Uint8Array.of(0x6b, 0x38, 0x73, 0x00),
    messageField(1, stringField(1, apiVersion), stringField(2, kind)),
    messageField(2, ...objectFields),
    stringField(3, ''),
    stringField(4, ''),
  );
}
