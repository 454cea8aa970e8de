import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../sandbox/cluster/api/errors.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
} from '../../../sandbox/cluster/api/selectors.ts';

describe('parseLabelSelector and matchesLabels', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['app=vweb', { app: 'vweb', version: 'v1' }, true],
    ['app=vweb', { app: 'other' }, false],
    ['app==vweb', { app: 'vweb' }, true],
    ['app!=vweb', { app: 'other' }, true],
    ['app!=vweb', {}, true],
    ['app=vweb,version=v1', { app: 'vweb', version: 'v2' }, false],
    ['version in (v1,v2)', { version: 'v2' }, true],
    ['version in (v1, v2)', { version: 'v3' }, false],
    ['version notin (v1,v2)', { version: 'v3' }, true],
    ['version notin (v1,v2)', {}, true],
    ['canary', { canary: 'yes' }, true],
    ['canary', {}, false],
    ['!canary', {}, true],
    ['!canary', { canary: '' }, false],
    ['app=vweb, !canary', { app: 'vweb' }, true],
    ['', { anything: 'x' }, true],
  ];
  it.each(cases)('%s on %j → %s', (text, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(text), labels)).toBe(expected);
  });

  it.each(['app=', 'app=vweb,'])(
    'accepts the empty value or trailing comma in %s like kubectl does',
    (text) => {
      expect(() => parseLabelSelector(text)).not.toThrow();
    },
  );

  it.each(['version in v1', 'app vweb', 'version in (v1', '(app)'])('rejects %s with a 400', (text) => {
    expect(() => parseLabelSelector(text)).toThrow(StatusError);
  });
});

describe('selectorFromLabelSelector', () => {
  it('combines matchLabels and matchExpressions', () => {
    const selector = selectorFromLabelSelector({
      matchLabels: { app: 'vweb' },
      matchExpressions: [{ key: 'version', operator: 'NotIn', values: ['v3'] }],
    });
    expect(matchesLabels(selector, { app: 'vweb', version: 'v2' })).toBe(true);
    expect(matchesLabels(selector, { app: 'vweb', version: 'v3' })).toBe(false);
  });
});

describe('field selectors', () => {
  const event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'demo' },
    involvedObject: { kind: 'Deployment', name: 'vweb' },
  };
  const cases: [string, boolean][] = [
    ['metadata.name=e1', true],
    ['involvedObject.name=vweb,involvedObject.kind=Deployment', true],
    ['involvedObject.kind!=Deployment', false],
    ['involvedObject.uid=', true],
  ];
  it.each(cases)('%s → %s', (text, expected) => {
    expect(matchesFields(parseFieldSelector(text), event)).toBe(expected);
  });
  it('rejects a selector without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(/invalid selector/);
  });
});
