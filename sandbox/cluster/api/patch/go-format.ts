/**
 * Renders decoded JSON values the way the API server's Go code prints them inside error messages
 * (`fmt` verb `%v` over `map[string]interface{}` and friends), so a learner who searches an error
 * text finds the same words a real cluster would have shown.
 */

import type { Json } from '../objects.ts';
import { isJsonObject } from './json-values.ts';

/**
 * `%v` of a value decoded from JSON: maps print as `map[k:v ...]` with sorted keys, slices as
 * `[a b]`, strings bare, null as `<nil>`. Example: `{"name":"web","$patch":"delete"}` prints
 * `map[$patch:delete name:web]` (`$` sorts before letters).
 */
export function formatGoValue(value: Json | undefined): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map((item) => formatGoValue(item)).join(' ')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort(compareGoStrings);
    return `map[${keys.map((key) => `${key}:${formatGoValue(value[key])}`).join(' ')}]`;
  }
  if (typeof value === 'number') return formatGoNumber(value);
  return String(value);
}

/**
 * `%s` of a value: strings as they are, anything else in Go's bad-verb form, e.g. `%!s(bool=true)`.
 */
export function formatGoString(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  return `%!s(${describeGoType(value)}=${formatGoValue(value)})`;
}

/**
 * The Go type a decoded JSON value has on the server, as `reflect.Type.String()` prints it:
 * `map[string]interface {}`, `[]interface {}`, `string`, `bool`, `int64` (whole numbers are kept as
 * integers by the server's decoder), `float64`, and `<nil>` for null.
 */
export function describeGoType(value: Json | undefined): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

/** Byte-wise ordering of strings, as Go sorts map keys (UTF-16 order agrees for the BMP). */
function compareGoStrings(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/**
 * Whole numbers print as integers; others follow `%v` for float64, which switches to exponent form
 * when the decimal exponent is below -4 or at least 6 (the shortest-representation rule): 0.5 → 0.5,
 * 1234567.5 → 1.2345675e+06, 0.00001 → 1e-05.
 */
function formatGoNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}
