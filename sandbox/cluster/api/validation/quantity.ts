/**
 * Resource quantities (k8s.io/apimachinery api/resource): parsing `500m`, `1Gi`, `1e3`, `0.5`,
 * comparing them, and printing them in the canonical form the API server stores and returns.
 * Exact decimal arithmetic with BigInt: a quantity is `sign * mantissa * 10^scale`.
 *
 * Worked examples of the canonical form: `0.5` → `500m`, `1000m` → `1`, `2000` → `2k`,
 * `1024Mi` → `1Gi`, `1536Mi` → `1536Mi` (1.5Gi is not whole), `0.5Ki` → `512` (below 1024 a
 * binary quantity prints as decimal).
 */

/** How a quantity prints: decimal SI suffixes (k, M, m), binary suffixes (Ki, Mi), or an exponent (1e3). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: value = (negative ? -1 : 1) * mantissa * 10^scale, mantissa >= 0. */
export interface Quantity {
  negative: boolean;
  mantissa: bigint;
  scale: number;
  format: QuantityFormat;
}

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** Upstream's message when a string is not a quantity (a decode error, HTTP 400, not a 422). */
export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** The smallest step a quantity can hold: values are rounded up (away from zero) to nano. */
const NANO_SCALE = -9;

/**
 * Parses a quantity from its JSON form (a string, or a number as YAML `cpu: 1` decodes to).
 * Returns undefined when the value is not a valid quantity.
 */
export function parseQuantity(input: unknown): Quantity | undefined {
  const text = typeof input === 'number' ? numberToText(input) : input;
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const match = QUANTITY_RE.exec(text);
  if (!match) return undefined;
  let numberText = match[1] ?? '';
  const suffix = match[2] ?? '';
  let negative = false;
  if (numberText.startsWith('+') || numberText.startsWith('-')) {
    negative = numberText.startsWith('-');
    numberText = numberText.slice(1);
  }
  const [whole = '', fraction = '', ...extra] = numberText.split('.');
  if (extra.length > 0 || (whole === '' && fraction === '')) return undefined;
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let scale = -fraction.length;
  let format: QuantityFormat;
  if (suffix in DECIMAL_SUFFIXES) {
    format = 'DecimalSI';
    scale += DECIMAL_SUFFIXES[suffix] ?? 0;
  } else if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    mantissa *= 1n << BigInt(BINARY_SUFFIXES[suffix] ?? 0);
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    scale += Number(suffix.slice(1));
  } else {
    return undefined;
  }
  let quantity: Quantity = { negative, mantissa, scale, format };
  quantity = roundUpToScale(quantity, NANO_SCALE);
  if (quantity.mantissa === 0n) return { negative: false, mantissa: 0n, scale: 0, format };
  // A binary quantity below one cannot be written with binary suffixes.
  if (format === 'BinarySI' && compareQuantities({ ...quantity, negative: false }, ONE) < 0) {
    quantity = { ...quantity, format: 'DecimalSI' };
  }
  return quantity;
}

const ONE: Quantity = { negative: false, mantissa: 1n, scale: 0, format: 'DecimalSI' };

function numberToText(value: number): string {
  if (!Number.isFinite(value)) return '';
  // JSON numbers such as 0.1 print exactly as written; exponents are a valid quantity form too.
  return String(value).replace('e+', 'e');
}

/** Rounds away from zero so the quantity has no digits finer than 10^scale (e.g. -3 for milli). */
export function roundUpToScale(quantity: Quantity, scale: number): Quantity {
  if (quantity.scale >= scale) return quantity;
  const divisor = 10n ** BigInt(scale - quantity.scale);
  let mantissa = quantity.mantissa / divisor;
  if (mantissa * divisor !== quantity.mantissa) mantissa += 1n;
  return { ...quantity, mantissa, scale };
}

function aligned(a: Quantity, b: Quantity): [bigint, bigint] {
  const scale = Math.min(a.scale, b.scale);
  const left = a.mantissa * 10n ** BigInt(a.scale - scale) * (a.negative ? -1n : 1n);
  const right = b.mantissa * 10n ** BigInt(b.scale - scale) * (b.negative ? -1n : 1n);
  return [left, right];
}

/** -1, 0 or 1 as a is less than, equal to, or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const [left, right] = aligned(a, b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** True for a zero quantity. */
export function isZeroQuantity(quantity: Quantity): boolean {
  return quantity.mantissa === 0n;
}

/** True when the quantity is a whole number (no fractional part). */
export function isWholeQuantity(quantity: Quantity): boolean {
  if (quantity.scale >= 0) return true;
  return quantity.mantissa % 10n ** BigInt(-quantity.scale) === 0n;
}

/** The canonical text the API server prints, e.g. `500m`, `1Gi`, `2k`, `1e3`. */
export function formatQuantity(quantity: Quantity): string {
  if (quantity.mantissa === 0n) return '0';
  const sign = quantity.negative ? '-' : '';
  let format = quantity.format;
  if (format === 'BinarySI') {
    const belowKi =
      compareQuantities(
        { ...quantity, negative: false },
        { negative: false, mantissa: 1024n, scale: 0, format },
      ) < 0;
    if (belowKi || !isWholeQuantity(quantity)) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let whole =
      quantity.scale >= 0
        ? quantity.mantissa * 10n ** BigInt(quantity.scale)
        : quantity.mantissa / 10n ** BigInt(-quantity.scale);
    let exponent = 0;
    while (exponent < 6 && whole % 1024n === 0n) {
      whole /= 1024n;
      exponent += 1;
    }
    const suffix = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][exponent] ?? '';
    return `${sign}${whole}${suffix}`;
  }
  // Strip trailing zeros, then lower the exponent to a multiple of three (1500m stays 1500m).
  let mantissa = quantity.mantissa;
  let exponent = quantity.scale;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  const remainder = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(remainder);
  exponent -= remainder;
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, value]) => value === exponent)?.[0];
  if (suffix === undefined) return `${sign}${mantissa}e${exponent}`;
  return `${sign}${mantissa}${suffix}`;
}

/**
 * Canonical form of a quantity field as stored by the API server after decoding and resource-list
 * defaulting (which also rounds up to milli). Returns the input unchanged when it is not a quantity.
 */
export function canonicalResourceQuantity(input: unknown): unknown {
  const quantity = parseQuantity(input);
  if (!quantity) return input;
  return formatQuantity(roundUpToScale(quantity, -3));
}
