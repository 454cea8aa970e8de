/**
 * The API server prints a rejected value with Go's fmt: strings as `%q` ("Vweb"), numbers plainly
 * (-1), and everything else as `%#v`, i.e. Go syntax naming the Go type:
 * `map[string]string{"app":"web"}` or `intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}`.
 * kubectl shows that text verbatim, so each bad value carries both its JSON form (for callers)
 * and the text Go would print. Types are named as the API server's internal packages name them
 * (`apps.`, `core.`, `v1.` for meta/v1, `intstr.`), because validation runs on internal types.
 */

/** A rejected value: its JSON form and the text the Go API server prints for it. */
export interface GoValue {
  readonly json: unknown;
  readonly text: string;
}

/** Go's strconv.Quote: double quotes, with `"`, `\` and non-printable characters escaped. */
export function goQuote(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (code === 12) out += '\\f';
    else if (code === 10) out += '\\n';
    else if (code === 13) out += '\\r';
    else if (code === 9) out += '\\t';
    else if (code === 11) out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** A string value, printed like `%q`. */
export function goString(value: string): GoValue {
  return { json: value, text: goQuote(value) };
}

/** An integer value (int32/int64), printed plainly. */
export function goInt(value: number): GoValue {
  return { json: value, text: String(value) };
}

/** A nil pointer or nil interface as the error body prints it: ErrorBody turns nil into "null". */
export function goNull(): GoValue {
  return { json: null, text: '"null"' };
}

/** `map[string]string{"a":"b", "c":"d"}` with sorted keys; a missing map is `map[string]string(nil)`. */
export function goStringMap(map: Readonly<Record<string, string>> | null | undefined): GoValue {
  return { json: map ?? null, text: formatStringMap(map) };
}

function formatStringMap(map: Readonly<Record<string, string>> | null | undefined): string {
  if (map === null || map === undefined) return 'map[string]string(nil)';
  const keys = Object.keys(map).sort();
  return `map[string]string{${keys.map((key) => `${goQuote(key)}:${goQuote(String(map[key]))}`).join(', ')}}`;
}

/** `[]string{"a", "b"}`; a missing slice is `[]string(nil)`. `typeName` names other string slices. */
export function goStringSlice(values: readonly string[] | null | undefined, typeName = '[]string'): GoValue {
  return { json: values ?? null, text: formatStringSlice(values, typeName) };
}

function formatStringSlice(values: readonly string[] | null | undefined, typeName: string): string {
  if (values === null || values === undefined) return `${typeName}(nil)`;
  return `${typeName}{${values.map((value) => goQuote(String(value))).join(', ')}}`;
}

/**
 * An intstr.IntOrString. Type 0 holds an integer, 1 a string; the API server passes the struct
 * itself, so kubectl shows e.g. `intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}`.
 */
export function goIntOrString(value: unknown): GoValue {
  return { json: value ?? null, text: formatIntOrString(value) };
}

function formatIntOrString(value: unknown): string {
  if (typeof value === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`;
  const int = typeof value === 'number' ? Math.trunc(value) : 0;
  return `intstr.IntOrString{Type:0, IntVal:${int}, StrVal:""}`;
}

/**
 * A meta/v1 LabelSelector as `%#v` prints the struct behind the pointer:
 * `v1.LabelSelector{MatchLabels:map[string]string{"app":"vweb"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
 */
export function goLabelSelector(selector: unknown): GoValue {
  return { json: selector ?? null, text: formatLabelSelector(selector) };
}

function formatLabelSelector(selector: unknown): string {
  const object = asRecord(selector);
  const matchLabels = object.matchLabels as Record<string, string> | null | undefined;
  const expressions = object.matchExpressions;
  let expressionText = '[]v1.LabelSelectorRequirement(nil)';
  if (Array.isArray(expressions)) {
    const items = expressions.map((expression) => {
      const requirement = asRecord(expression);
      const values = Array.isArray(requirement.values) ? (requirement.values as string[]) : null;
      return `v1.LabelSelectorRequirement{Key:${goQuote(String(requirement.key ?? ''))}, Operator:${goQuote(
        String(requirement.operator ?? ''),
      )}, Values:${formatStringSlice(values, '[]string')}}`;
    });
    expressionText = `[]v1.LabelSelectorRequirement{${items.join(', ')}}`;
  }
  return `v1.LabelSelector{MatchLabels:${formatStringMap(matchLabels)}, MatchExpressions:${expressionText}}`;
}

/** One field of a Go struct literal: its Go name and its value as `%#v` prints it. */
export type GoField = readonly [name: string, text: string];

/** A struct literal `pkg.Type{A:1, B:"x"}` built from already-formatted fields. */
export function goStruct(typeName: string, fields: readonly GoField[], json: unknown): GoValue {
  return { json, text: formatStruct(typeName, fields) };
}

/** Formats a struct literal; exported so callers can nest structs inside other values. */
export function formatStruct(typeName: string, fields: readonly GoField[]): string {
  return `${typeName}{${fields.map(([name, text]) => `${name}:${text}`).join(', ')}}`;
}

/**
 * How `%#v` prints a pointer field inside a struct: `(*T)(nil)`, or an address for a set pointer.
 * The address is arbitrary in Go; a fixed one keeps messages stable.
 */
export function formatPointer(typeName: string, isSet: boolean): string {
  return isSet ? `(*${typeName})(0xc000a1b2c0)` : `(*${typeName})(nil)`;
}

/**
 * Any JSON value as Go prints an unstructured value: `map[string]interface {}{"a":1}`,
 * `[]interface {}{...}`. Used where no typed rendering is worth the weight.
 */
export function goJson(value: unknown): GoValue {
  return { json: value ?? null, text: formatJson(value) };
}

function formatJson(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(formatJson).join(', ')}}`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `map[string]interface {}{${keys.map((key) => `${goQuote(key)}:${formatJson(record[key])}`).join(', ')}}`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
