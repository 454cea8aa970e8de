/**
 * The few pieces of the protocol buffers wire format that encoding an OpenAPI v2 document needs:
 * varints, length-delimited fields (strings, bytes, nested messages) and booleans. Every field is
 * written as a tag `(fieldNumber << 3) | wireType` followed by its payload.
 *
 * Worked example: field 1 holding the string "2.0" is `0a 03 32 2e 30` — tag 0x0a is field 1 with
 * wire type 2 (length-delimited), then the length 3, then the UTF-8 bytes.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

const utf8 = new TextEncoder();

/**
 * Builds one message as a list of byte chunks, joined once by `finish()`. An embedded message is
 * another writer whose chunks are taken over by reference, so a deep document is copied once in
 * all, not once per nesting level.
 */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  /** Tag and length bytes not yet moved into `parts`. */
  private pending: number[] = [];
  /** The encoded size so far, in bytes. */
  length = 0;

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.parts.push(Uint8Array.from(this.pending));
    this.pending = [];
  }

  /**
   * Writes an unsigned varint: 7 bits a byte, low bits first, high bit set on all but the last.
   * 300 = 0b1_0010_1100 → `ac 02`.
   */
  writeVarint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`varint needs a non-negative safe integer, got ${value}`);
    let rest = value;
    while (rest >= 0x80) {
      this.pending.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
      this.length += 1;
    }
    this.pending.push(rest);
    this.length += 1;
  }

  private writeTag(fieldNumber: number, wireType: number): void {
    this.writeVarint(fieldNumber * 8 + wireType);
  }

  /** A length-delimited field with raw bytes. */
  bytes(fieldNumber: number, payload: Uint8Array): this {
    this.writeTag(fieldNumber, WIRE_LENGTH_DELIMITED);
    this.writeVarint(payload.length);
    this.flushPending();
    this.parts.push(payload);
    this.length += payload.length;
    return this;
  }

  /** A string field; proto3 leaves empty strings out, so they are skipped. */
  string(fieldNumber: number, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    return this.bytes(fieldNumber, utf8.encode(value));
  }

  /** A repeated string field: one entry per value. */
  strings(fieldNumber: number, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.bytes(fieldNumber, utf8.encode(value));
    return this;
  }

  /** A bool field; false is the default and is left out. */
  bool(fieldNumber: number, value: boolean | undefined): this {
    if (!value) return this;
    this.writeTag(fieldNumber, WIRE_VARINT);
    this.writeVarint(1);
    return this;
  }

  /** An embedded message, even when empty: presence matters (an object with no properties). */
  message(fieldNumber: number, embedded: ProtoWriter | Uint8Array | undefined): this {
    if (embedded === undefined) return this;
    if (embedded instanceof Uint8Array) return this.bytes(fieldNumber, embedded);
    this.writeTag(fieldNumber, WIRE_LENGTH_DELIMITED);
    this.writeVarint(embedded.length);
    this.flushPending();
    embedded.flushPending();
    for (const part of embedded.parts) this.parts.push(part);
    this.length += embedded.length;
    return this;
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flushPending();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Reads a varint at `offset`: the value and the offset after it. For tests and debugging. */
export function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let position = offset;
  for (;;) {
    const byte = bytes[position];
    if (byte === undefined) throw new RangeError('varint runs past the end of the buffer');
    position += 1;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: position };
    scale *= 0x80;
  }
}

/** One decoded field: number, wire type and payload (a varint value or the delimited bytes). */
export interface ProtoField {
  fieldNumber: number;
  wireType: number;
  varint?: number;
  bytes?: Uint8Array;
}

/** Splits a message into its top-level fields (varint and length-delimited only). For tests. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tag = readVarint(bytes, offset);
    const fieldNumber = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (wireType === WIRE_VARINT) {
      const value = readVarint(bytes, tag.next);
      fields.push({ fieldNumber, wireType, varint: value.value });
      offset = value.next;
    } else if (wireType === WIRE_LENGTH_DELIMITED) {
      const length = readVarint(bytes, tag.next);
      fields.push({ fieldNumber, wireType, bytes: bytes.subarray(length.next, length.next + length.value) });
      offset = length.next + length.value;
    } else {
      throw new RangeError(`unsupported wire type ${wireType} at offset ${offset}`);
    }
  }
  return fields;
}
