/**
 * Resource quantities (`500m`, `1Gi`, `2k`) in the canonical form the API prints them in. Table cells
 * for ResourceQuotas and volumes show quantities after Kubernetes has normalised them, so `1000m`
 * prints as `1` and `1024Mi` as `1Gi`; printing the raw text would show a learner something a real
 * cluster never does.
 */

const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

const DECIMAL_SUFFIX_EXPONENTS: Readonly<Record<string, number>> = {
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

/** The smallest step a quantity keeps: nano units. Finer values are rounded up to it. */
const MIN_EXPONENT = -9;
const MAX_EXPONENT = 18;

type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** A non-negative quantity as digits × 10^exponent, with its sign and the family its suffix came from. */
interface ParsedQuantity {
  negative: boolean;
  digits: bigint;
  exponent: number;
  format: QuantityFormat;
}

function powerOf(base: number, times: number): bigint {
  return BigInt(base) ** BigInt(times);
}

/** Reads a quantity string; undefined when it is not one. */
function parseQuantity(text: string): ParsedQuantity | undefined {
  const match = QUANTITY_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', number = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  let digits = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  let format: QuantityFormat = 'DecimalSI';

  const binaryPower = BINARY_SUFFIXES.indexOf(suffix as (typeof BINARY_SUFFIXES)[number]);
  if (suffix !== '' && binaryPower > 0) {
    format = 'BinarySI';
    digits *= powerOf(1024, binaryPower);
  } else if (suffix.startsWith('e') || suffix.startsWith('E')) {
    format = 'DecimalExponent';
    exponent += Number(suffix.slice(1));
  } else {
    exponent += DECIMAL_SUFFIX_EXPONENTS[suffix] ?? 0;
  }

  if (exponent < MIN_EXPONENT) {
    // Round up to whole nano units: 0.1n becomes 1n.
    const divisor = powerOf(10, MIN_EXPONENT - exponent);
    digits = (digits + divisor - 1n) / divisor;
    exponent = MIN_EXPONENT;
  }
  return { negative: sign === '-' && digits !== 0n, digits, exponent, format };
}

/** digits × 10^exponent as an integer, or undefined when it has a fractional part. */
function toInteger(quantity: ParsedQuantity): bigint | undefined {
  if (quantity.exponent >= 0) return quantity.digits * powerOf(10, quantity.exponent);
  const divisor = powerOf(10, -quantity.exponent);
  return quantity.digits % divisor === 0n ? quantity.digits / divisor : undefined;
}

function formatBinary(value: bigint): string {
  let power = 0;
  let mantissa = value;
  while (power < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    power += 1;
  }
  return `${mantissa}${BINARY_SUFFIXES[power]}`;
}

/**
 * Decimal form with the largest exponent that is a multiple of 3 and keeps the mantissa whole.
 * Worked example: 1.5 is 15 × 10^-1; the largest multiple of 3 not above -1 is -3, so the mantissa
 * is 15 × 10^2 = 1500 and the text `1500m`.
 */
function formatDecimal(quantity: ParsedQuantity, format: 'DecimalSI' | 'DecimalExponent'): string {
  let { digits, exponent } = quantity;
  while (digits !== 0n && digits % 10n === 0n) {
    digits /= 10n;
    exponent += 1;
  }
  const chosen = Math.min(MAX_EXPONENT, Math.floor(exponent / 3) * 3);
  const mantissa = digits * powerOf(10, exponent - chosen);
  if (format === 'DecimalExponent') return chosen === 0 ? `${mantissa}` : `${mantissa}e${chosen}`;
  const suffix = Object.entries(DECIMAL_SUFFIX_EXPONENTS).find(([, value]) => value === chosen)?.[0] ?? '';
  return `${mantissa}${suffix}`;
}

/**
 * The canonical text of a quantity, as Kubernetes' Quantity.String() gives it: `1000m` → `1`,
 * `1000` → `1k`, `1536Mi` stays, `1024Mi` → `1Gi`, `0.5` → `500m`. Binary quantities below 1Ki or
 * with a fractional part fall back to decimal form. Missing values print `0`; text that is not a
 * quantity is returned as is.
 */
export function formatQuantity(text: string | number | undefined | null): string {
  if (text === undefined || text === null || text === '') return '0';
  const parsed = parseQuantity(String(text));
  if (!parsed) return String(text);
  if (parsed.digits === 0n) return '0';
  const sign = parsed.negative ? '-' : '';
  if (parsed.format === 'BinarySI') {
    const whole = toInteger(parsed);
    if (whole !== undefined && whole >= 1024n) return sign + formatBinary(whole);
    return sign + formatDecimal(parsed, 'DecimalSI');
  }
  return sign + formatDecimal(parsed, parsed.format);
}
