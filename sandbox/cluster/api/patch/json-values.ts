/**
 * Small helpers over decoded JSON values shared by the three patch formats. Patches come from the
 * network, so every key write goes through `setOwn`: a key named `__proto__` must become data, never
 * a prototype change.
 */

import type { Json, JsonObject } from '../objects.ts';

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `object` has `key` as its own property, whatever its value (null included). */
export function hasOwn(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** Sets `object[key]` as an own data property, safe for keys such as `__proto__`. */
export function setOwn(object: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** A deep copy of a JSON value; the patch functions work on copies so callers' objects stay intact. */
export function cloneJson<T extends Json>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) setOwn(copy, key, cloneJson(value[key] as Json));
    return copy as T;
  }
  return value;
}

/** Structural equality of two JSON values (object key order does not matter, array order does). */
export function jsonEqual(left: Json, right: Json): boolean {
  if (left === right) return true;
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index] as Json))
    );
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    return keys.every((key) => hasOwn(right, key) && jsonEqual(left[key] as Json, right[key] as Json));
  }
  return false;
}

/**
 * The name encoding/json gives a JSON value's kind in "cannot unmarshal X into ..." messages:
 * `object`, `array`, `string`, `number`, `bool` (null never produces such a message).
 */
export function describeJsonKind(value: Json): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
