/**
 * Resource quantities (`500m`, `1Gi`, `2k`) in the canonical form the API prints them in. Table cells
 * for ResourceQuotas and volumes show quantities after Kubernetes has normalised them, so `1000m`
 * prints as `1` and `1024Mi` as `1Gi`; printing the raw text would show a learner something a real
 * cluster never does. Parsing and formatting are validation's (one Quantity implementation).
 */
import {
  formatQuantity as formatParsedQuantity,
  parseQuantity,
  roundUpToScale,
} from '../validation/quantity.ts';

/** The smallest step a quantity keeps: nano units. Finer values are rounded up to it. */
const NANO_SCALE = -9;

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
  return formatParsedQuantity(roundUpToScale(parsed, NANO_SCALE));
}
