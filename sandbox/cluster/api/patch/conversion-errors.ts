/**
 * What kube-apiserver says when a strategic merge patch applies but the result cannot be turned
 * into the Go object. The server applies the patch to the object as a map and converts the map
 * with the unstructured converter (`runtime.DefaultUnstructuredConverter`), not with the JSON
 * decoder, so a wrong type fails with the converter's words, inside a 422 Invalid on the field
 * `patch` (`patchedDocumentInvalid`):
 *
 * ```
 * kubectl edit, replicas: three   →  patch: Invalid value: "map[spec:map[replicas:three]]": unrecognized type: int32
 * ```
 *
 * (kubectl edit reopens the file on Invalid, and only then.) The request decoder here finds the
 * same mistake first and words it as the JSON decoder would; this module translates that
 * finding into the converter's message, following the converter's rules for a JSON value of the
 * wrong kind:
 *
 * | target | value | message |
 * | --- | --- | --- |
 * | a number, bool or string field | a kind Go cannot convert (string → int32, bool → string, an object…) | `unrecognized type: int32` |
 * | a string field | a whole number (Go converts ints to strings, but the converter refuses) | `cannot convert int64 to string` |
 * | an integer field | a fraction | `cannot convert float64 to int32` |
 * | a list | anything else | `cannot restore slice from string` |
 * | a map | anything else | `cannot restore map from string` |
 * | an object (a Go struct) | anything else | `cannot restore struct from: string` |
 *
 * Types with their own conversion (IntOrString, Quantity, Time, base64 bytes) and whole numbers
 * out of an integer's range (the converter wraps them silently) give `undefined`: the caller
 * keeps the decoder's answer.
 */

/** The decoder's type error: `json: cannot unmarshal <kind> into Go struct field <S>.<path> of type <T>`. */
const TYPE_ERROR =
  /^json: cannot unmarshal (string|bool|object|array|number)( \S+)? into Go (?:struct field \S+|value) of type (\S+)$/;

/** Go types that convert themselves from unstructured data, with their own messages. */
const SELF_CONVERTING = new Set([
  '[]uint8',
  'intstr.IntOrString',
  'resource.Quantity',
  'v1.Time',
  'v1.MicroTime',
  'v1.Duration',
  'runtime.RawExtension',
  'interface {}',
]);

const INTEGERS = new Set([
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
]);
const FLOATS = new Set(['float32', 'float64']);

/** The Go kind the server's JSON map holds for a JSON value, as `reflect.Kind` prints it. */
function unstructuredKind(jsonKind: string, number: string | undefined): string {
  switch (jsonKind) {
    case 'object':
      return 'map';
    case 'array':
      return 'slice';
    case 'number':
      return number !== undefined && !Number.isInteger(Number(number)) ? 'float64' : 'int64';
    default:
      return jsonKind;
  }
}

/**
 * The unstructured converter's message for the decoder's type error `decodeMessage`, or
 * `undefined` when the converter would word it otherwise or accept the value.
 */
export function describeConversionFailure(decodeMessage: string): string | undefined {
  const match = TYPE_ERROR.exec(decodeMessage);
  if (!match) return undefined;
  const [, jsonKind = '', numberText, target = ''] = match;
  const source = unstructuredKind(jsonKind, numberText?.trim());
  if (SELF_CONVERTING.has(target)) return undefined;
  if (target.startsWith('[]')) return `cannot restore slice from ${source}`;
  if (target.startsWith('map[')) return `cannot restore map from ${source}`;
  const simple = INTEGERS.has(target) || FLOATS.has(target) || target === 'bool' || target === 'string';
  if (!simple) return `cannot restore struct from: ${source}`;
  if (source === 'int64') {
    // Go converts integers to any number type (an out-of-range one wraps) and to string.
    if (INTEGERS.has(target) || FLOATS.has(target)) return undefined;
    if (target === 'string') return 'cannot convert int64 to string';
  }
  if (source === 'float64') {
    if (FLOATS.has(target)) return undefined;
    if (INTEGERS.has(target)) return `cannot convert float64 to ${target}`;
  }
  return `unrecognized type: ${target}`;
}
