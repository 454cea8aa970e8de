/**
 * kubectl's `-l` label selector syntax, parsed into requirements and matched against labels, so a
 * check's selector means exactly what the same text means on the learner's command line.
 */

/** One requirement of a selector, e.g. `app=vweb` or `version notin (v1,v2)`. */
export interface LabelRequirement {
  key: string;
  operator: 'equals' | 'notEquals' | 'in' | 'notIn' | 'exists' | 'doesNotExist';
  values: string[];
}

/** Thrown when a check's selector is not valid kubectl selector syntax. */
export class SelectorSyntaxError extends Error {
  override name = 'SelectorSyntaxError';
}

/** Splits on commas that are not inside a `( … )` value list. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(part: string): LabelRequirement {
  const setMatch = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const [, key = '', op, list = ''] = setMatch;
    const values = list
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { key, operator: op === 'in' ? 'in' : 'notIn', values };
  }
  const eqMatch = /^([^\s!=(),]+)\s*(!=|==|=)\s*([^\s!=(),]*)$/.exec(part);
  if (eqMatch) {
    const [, key = '', op, value = ''] = eqMatch;
    return { key, operator: op === '!=' ? 'notEquals' : 'equals', values: [value] };
  }
  const notExists = /^!\s*([^\s!=(),]+)$/.exec(part);
  if (notExists) return { key: notExists[1] ?? '', operator: 'doesNotExist', values: [] };
  if (/^[^\s!=(),]+$/.test(part)) return { key: part, operator: 'exists', values: [] };
  throw new SelectorSyntaxError(`cannot parse label selector requirement "${part}"`);
}

/** Parses `app=vweb,version!=v1` style text; an empty selector matches everything. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return splitTopLevel(text).map(parseRequirement);
}

function meetsRequirement(labels: Record<string, string>, req: LabelRequirement): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case 'equals':
      return has && value === req.values[0];
    case 'notEquals':
      return !has || value !== req.values[0];
    case 'in':
      return has && req.values.includes(value ?? '');
    case 'notIn':
      return !has || !req.values.includes(value ?? '');
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
  }
}

/** Whether labels satisfy every requirement of a parsed selector. */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: readonly LabelRequirement[],
): boolean {
  return requirements.every((req) => meetsRequirement(labels ?? {}, req));
}
