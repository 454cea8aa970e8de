/**
 * kubectl's `-l` label selector syntax for checks, so a check's selector means exactly what the
 * same text means on the learner's command line. The parsing and matching are the API server's own
 * (`sandbox/cluster/api/selectors.ts`); this module only gives checks their own error type, since
 * a bad selector in a lesson is a lesson error, not an HTTP 400.
 */
import { StatusError } from '../cluster/api/errors.ts';
import {
  matchesLabels,
  parseLabelSelector as parseApiSelector,
  type Selector,
} from '../cluster/api/selectors.ts';

/** A parsed selector: every requirement must hold. */
export type LabelRequirement = Selector[number];

/** Thrown when a check's selector is not valid kubectl selector syntax. */
export class SelectorSyntaxError extends Error {
  override name = 'SelectorSyntaxError';
}

/** Parses a selector such as `app=vweb,version notin (v1,v2)`; throws SelectorSyntaxError. */
export function parseLabelSelector(text: string): readonly LabelRequirement[] {
  try {
    return parseApiSelector(text);
  } catch (error) {
    if (error instanceof StatusError)
      throw new SelectorSyntaxError(`invalid selector "${text}": ${error.message}`);
    throw error;
  }
}

/** Whether labels satisfy every requirement of a parsed selector. */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: readonly LabelRequirement[],
): boolean {
  return matchesLabels(requirements, labels);
}
