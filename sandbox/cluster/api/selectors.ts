/**
 * Label and field selectors: parsing the string forms used in URLs (`app=vweb,version in (v1,v2)`)
 * and matching objects. Pure functions.
 */
import { badRequest } from './errors.ts';
import type { KubeObject, LabelSelector } from './objects.ts';

/** One requirement of a label selector. */
export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals' | 'Gt' | 'Lt';
  values: string[];
}

/** A parsed selector: every requirement must hold. An empty list matches everything. */
export type Selector = readonly Requirement[];

const TOKEN = /\s*(!=|==|=|!|,|\(|\)|[^\s!=,()]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match) {
      if (/^\s*$/.test(text.slice(index))) break;
      throw badRequest(`unable to parse requirement: unexpected character at "${text.slice(index)}"`);
    }
    if (match[1]) tokens.push(match[1]);
    index = TOKEN.lastIndex;
  }
  return tokens;
}

/**
 * Parses a label selector string. Examples: `app=vweb`, `app!=x`, `tier in (web,db)`, `!canary`,
 * `version`, `replicas>2`. Throws a 400 StatusError whose message names the offending part.
 */
export function parseLabelSelector(text: string | null | undefined): Selector {
  if (!text?.trim()) return [];
  const tokens = tokenize(text);
  const requirements: Requirement[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why}`);
  };
  while (i < tokens.length) {
    let token = tokens[i++];
    if (token === '!') {
      const key = tokens[i++] ?? fail("found '', expected: identifier after '!'");
      requirements.push({ key, operator: 'DoesNotExist', values: [] });
    } else {
      if (token === undefined || token === ',' || token === '(' || token === ')')
        fail(`found '${token ?? ''}', expected: !, identifier, or 'end of string'`);
      const key = token!;
      const op = tokens[i];
      if (op === undefined || op === ',') {
        requirements.push({ key, operator: 'Exists', values: [] });
      } else if (op === '=' || op === '==' || op === '!=') {
        i++;
        const value = tokens[i] === undefined || tokens[i] === ',' ? '' : tokens[i++]!;
        requirements.push({ key, operator: op === '!=' ? 'NotEquals' : 'Equals', values: [value] });
      } else if (op === 'in' || op === 'notin') {
        i++;
        if (tokens[i++] !== '(') fail(`found '${tokens[i - 1] ?? ''}', expected: '('`);
        const values: string[] = [];
        while (tokens[i] !== ')') {
          const value = tokens[i++];
          if (value === undefined) fail("found '', expected: ')'");
          if (value !== ',') values.push(value!);
        }
        i++;
        requirements.push({ key, operator: op === 'in' ? 'In' : 'NotIn', values });
      } else if (op.startsWith('>') || op.startsWith('<')) {
        i++;
        requirements.push({
          key,
          operator: op.startsWith('>') ? 'Gt' : 'Lt',
          values: [op.slice(1) || tokens[i++] || ''],
        });
      } else {
        fail(`found '${op}', expected: '=', '!=', '==', 'in', notin'`);
      }
    }
    token = tokens[i];
    if (token === ',') i++;
    else if (token !== undefined) fail(`found '${token}', expected: ',' or 'end of string'`);
  }
  return requirements;
}

/** Converts a LabelSelector struct (as in Deployment.spec.selector) to requirements. */
export function selectorFromLabelSelector(selector: LabelSelector | undefined | null): Selector {
  if (!selector) return [];
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, operator: 'Equals', values: [value] });
  }
  for (const expression of selector.matchExpressions ?? []) {
    requirements.push({
      key: expression.key,
      operator: expression.operator,
      values: expression.values ?? [],
    });
  }
  return requirements;
}

/** True when a LabelSelector struct has no requirements at all (it would select everything). */
export function isEmptyLabelSelector(selector: LabelSelector | undefined | null): boolean {
  return selectorFromLabelSelector(selector).length === 0;
}

/** Whether a set of labels satisfies every requirement. */
export function matchesLabels(selector: Selector, labels: Record<string, string> | undefined): boolean {
  const set = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(set, r.key);
    const value = set[r.key];
    switch (r.operator) {
      case 'Equals':
      case 'In':
        return has && r.values.includes(value!);
      case 'NotEquals':
      case 'NotIn':
        return !has || !r.values.includes(value!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Gt':
        return has && Number(value) > Number(r.values[0]);
      case 'Lt':
        return has && Number(value) < Number(r.values[0]);
      default:
        return false;
    }
  });
}

/** `app=vweb,version=v1`: the string form of a set of labels, sorted by key, as kubectl shows selectors. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((key) => `${key}=${labels![key]}`)
    .join(',');
}

/** A parsed field selector: `metadata.name=vweb,status.phase!=Running`. */
export interface FieldRequirement {
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

/** Parses a field selector string; only `=`, `==` and `!=` exist for fields. */
export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text?.trim()) return [];
  return text.split(',').map((part) => {
    const match = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    return { field: match[1]!, operator: match[2] === '!=' ? 'NotEquals' : 'Equals', value: match[3]! };
  });
}

/** Reads a dotted field path (`involvedObject.name`, `spec.nodeName`) from an object as a string. */
export function readField(object: KubeObject, field: string): string {
  let current: unknown = object;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

/** Whether an object satisfies every field requirement. */
export function matchesFields(requirements: readonly FieldRequirement[], object: KubeObject): boolean {
  return requirements.every((r) => {
    const actual = readField(object, r.field);
    return r.operator === 'Equals' ? actual === r.value : actual !== r.value;
  });
}
