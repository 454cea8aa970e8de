import { describe, expect, it } from 'vitest';
import {
  readFields,
  readFixed32,
  readFixed64,
  readLengthDelimited,
  readVarint,
  splitKey,
  toInt32,
  toInt64,
  WireFormatError,
} from '../../../sandbox/cluster/api/protobuf/wire-reader.ts';
import {
  concatBytes,
  encodeKey,
  encodeVarint,
  fixed32Field,
  fixed64Field,
  groupField,
  messageField,
  stringField,
  varintField,
} from './wire-writer.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('readVarint', () => {
  it.each([
    { name: 'zero', input: bytes(0x00), value: 0n, next: 1 },
    { name: 'one byte, 127', input: bytes(0x7f), value: 127n, next: 1 },
    { name: '128 needs two bytes', input: bytes(0x80, 0x01), value: 128n, next: 2 },
    { name: '300 (0xAC 0x02)', input: bytes(0xac, 0x02), value: 300n, next: 2 },
    { name: 'stops at the first byte without the high bit', input: bytes(0x01, 0x7f), value: 1n, next: 1 },
    {
      name: '-1 as int64: ten bytes, all 64 bits set',
      input: bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
      value: 0xffff_ffff_ffff_ffffn,
      next: 10,
    },
    { name: '2^32 (past 32-bit arithmetic)', input: encodeVarint(2n ** 32n), value: 2n ** 32n, next: 5 },
  ])('$name', ({ input, value, next }) => {
    expect(readVarint(input, 0)).toEqual({ value, next });
  });

  it('reads at an offset', () => {
    expect(readVarint(bytes(0xff, 0xac, 0x02), 1)).toEqual({ value: 300n, next: 3 });
  });

  it.each([
    { name: 'empty input', input: bytes(), message: 'truncated varint at byte 0' },
    {
      name: 'high bit set on the last byte',
      input: bytes(0x80, 0x80),
      message: 'truncated varint at byte 0',
    },
    {
      name: 'eleven bytes',
      input: bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      message: 'varint longer than 10 bytes at byte 0',
    },
    {
      name: 'tenth byte past bit 63',
      input: bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02),
      message: 'varint overflows 64 bits at byte 0',
    },
  ])('refuses $name', ({ input, message }) => {
    expect(() => readVarint(input, 0)).toThrow(new WireFormatError(message.replace(/ at byte \d+$/, ''), 0));
    expect(() => readVarint(input, 0)).toThrow(message);
  });
});

describe('fixed-width and length-delimited values', () => {
  it('reads fixed32 little endian', () => {
    expect(readFixed32(bytes(0x78, 0x56, 0x34, 0x12), 0)).toEqual({ value: 0x12345678, next: 4 });
    expect(readFixed32(bytes(0xff, 0xff, 0xff, 0xff), 0)).toEqual({ value: 0xffffffff, next: 4 });
  });

  it('reads fixed64 little endian', () => {
    expect(readFixed64(bytes(1, 0, 0, 0, 0, 0, 0, 0x80), 0)).toEqual({
      value: 0x8000_0000_0000_0001n,
      next: 8,
    });
  });

  it('reads a length-delimited view', () => {
    const read = readLengthDelimited(bytes(0x03, 0x61, 0x62, 0x63, 0x64), 0);
    expect([...read.value]).toEqual([0x61, 0x62, 0x63]);
    expect(read.next).toBe(4);
  });

  it.each([
    {
      name: 'fixed32 with 3 bytes',
      read: () => readFixed32(bytes(1, 2, 3), 0),
      message: 'truncated fixed32',
    },
    {
      name: 'fixed64 with 7 bytes',
      read: () => readFixed64(bytes(1, 2, 3, 4, 5, 6, 7), 0),
      message: 'truncated fixed64',
    },
    {
      name: 'a length past the end',
      read: () => readLengthDelimited(bytes(0x05, 0x61), 0),
      message: 'length 5 runs past the end of the message at byte 0',
    },
    {
      name: 'a huge length',
      read: () => readLengthDelimited(encodeVarint(2n ** 40n), 0),
      message: 'runs past the end of the message',
    },
  ])('refuses $name', ({ read, message }) => {
    expect(read).toThrow(WireFormatError);
    expect(read).toThrow(message);
  });
});

describe('splitKey', () => {
  it.each([
    { key: 0x08n, number: 1, wireType: 0 },
    { key: 0x12n, number: 2, wireType: 2 },
    { key: 0x1dn, number: 3, wireType: 5 },
    { key: (536_870_911n << 3n) | 1n, number: 536_870_911, wireType: 1 },
  ])('key $key is field $number, wire type $wireType', ({ key, number, wireType }) => {
    expect(splitKey(key, 0)).toEqual({ number, wireType });
  });

  it.each([0x02n, 536_870_912n << 3n])('refuses key %s (field 0 or past 2^29-1)', (key) => {
    expect(() => splitKey(key, 0)).toThrow(/invalid field number/);
  });
});

describe('readFields', () => {
  it('takes a message apart in wire order, keeping repeated numbers', () => {
    const message = concatBytes(
      stringField(1, 'web'),
      varintField(2, 3),
      stringField(1, 'again'),
      fixed32Field(9, 7),
      fixed64Field(10, -2n),
    );
    const fields = readFields(message);
    expect(fields.map((f) => [f.number, f.wireType])).toEqual([
      [1, 2],
      [2, 0],
      [1, 2],
      [9, 5],
      [10, 1],
    ]);
    expect(new TextDecoder().decode(fields[2]!.value as Uint8Array)).toBe('again');
    expect(fields[3]!.value).toBe(7);
    expect(toInt64(fields[4]!.value as bigint)).toBe(-2);
  });

  it('steps over groups, nested ones included, and reads what follows', () => {
    const message = concatBytes(
      groupField(5, varintField(1, 1), groupField(6, stringField(2, 'x')), fixed32Field(3, 1)),
      stringField(1, 'after'),
    );
    const fields = readFields(message);
    expect(fields).toHaveLength(1);
    expect(fields[0]!.number).toBe(1);
  });

  it('reads an empty message as no fields', () => {
    expect(readFields(bytes())).toEqual([]);
  });

  it.each([
    {
      name: 'a truncated string',
      input: stringField(1, 'hello').subarray(0, 4),
      message: 'runs past the end',
    },
    { name: 'a key without a value', input: encodeKey(1, 0), message: 'truncated varint' },
    { name: 'wire type 6', input: encodeKey(1, 6), message: 'unexpected wire type 6' },
    { name: 'wire type 7', input: encodeKey(1, 7), message: 'unexpected wire type 7' },
    { name: 'an end group with no start', input: encodeKey(1, 4), message: 'unexpected wire type 4' },
    {
      name: 'a group never closed',
      input: concatBytes(encodeKey(5, 3), varintField(1, 1)),
      message: 'never closed',
    },
    {
      name: 'a group closed by another number',
      input: concatBytes(encodeKey(5, 3), encodeKey(6, 4)),
      message: 'group 5 closed by the end of group 6',
    },
    {
      name: 'groups nested past the limit',
      input: concatBytes(
        ...Array.from({ length: 70 }, () => encodeKey(5, 3)),
        ...Array.from({ length: 70 }, () => encodeKey(5, 4)),
      ),
      message: 'nested too deeply',
    },
  ])('refuses $name', ({ input, message }) => {
    expect(() => readFields(input)).toThrow(WireFormatError);
    expect(() => readFields(input)).toThrow(message);
  });

  it('reads nested messages as bytes to decode later', () => {
    const [field] = readFields(messageField(3, stringField(1, 'inner')));
    expect(field!.wireType).toBe(2);
    expect(readFields(field!.value as Uint8Array)).toHaveLength(1);
  });
});

describe('varint to integer', () => {
  it.each([
    { value: 5n, int32: 5, int64: 5 },
    { value: 0xffff_ffff_ffff_ffffn, int32: -1, int64: -1 },
    { value: BigInt.asUintN(64, -62_135_596_800n), int32: -2_006_054_656, int64: -62_135_596_800 },
    { value: 0x8000_0000n, int32: -2_147_483_648, int64: 2_147_483_648 },
  ])('$value is int32 $int32 and int64 $int64', ({ value, int32, int64 }) => {
    expect(toInt32(value)).toBe(int32);
    expect(toInt64(value)).toBe(int64);
  });
});
