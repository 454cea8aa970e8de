/**
 * Reading untyped JSON the way Go's decoder sees it: a missing field and a wrong-typed field both
 * read as the zero value. Validators use these so a malformed manifest yields field errors, not a
 * crash. Also the semantic equality upstream uses to compare old and new specs.
 */

/** A decoded JSON object, or an empty one when the value is not an object. */
export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An array, or an empty one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or '' (Go's zero value). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A number, or 0. */
export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A number when present (a Go pointer field), or undefined when absent/null. */
export function optionalNum(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True when the field is present and not null (a set Go pointer). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A map[string]string, or undefined when absent; non-string values are stringified as Go would refuse them. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value))
    out[key] = typeof entry === 'string' ? entry : String(entry);
  return out;
}

/** A []string, or an empty array. */
export function stringList(value: unknown): string[] {
  return list(value).map((entry) => (typeof entry === 'string' ? entry : String(entry)));
}

/** True for what Go would decode to a zero value: absent, null, '', 0... not counting false/0 on pointers. */
function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.values(value).every(isEmptyValue);
  return false;
}

/**
 * Upstream's semantic DeepEqual on decoded objects: nil and empty slices/maps are equal, and a
 * missing field equals an empty one. Numbers and booleans compare by value.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => semanticEqual(item, b[index]));
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!semanticEqual(a[key], b[key])) return false;
    return true;
  }
  return a === b;
}
