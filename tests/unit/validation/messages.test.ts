import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../sandbox/cluster/api/defaults/index.ts';
import {
  describeFieldError,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../../../sandbox/cluster/api/validation/field-errors.ts';
import {
  goIntOrString,
  goLabelSelector,
  goQuote,
  goStringMap,
  goStringSlice,
} from '../../../sandbox/cluster/api/validation/go-values.ts';
import {
  type FieldError,
  formatInvalidMessage,
  formatKubectlInvalidMessage,
  toInvalidError,
  toStatusCauses,
  validateObject,
} from '../../../sandbox/cluster/api/validation/index.ts';
import {
  checkDNS1123Label,
  checkQualifiedName,
  isIPAddress,
  regexMessage,
} from '../../../sandbox/cluster/api/validation/name-rules.ts';
import {
  canonicalResourceQuantity,
  formatQuantity,
  parseQuantity,
} from '../../../sandbox/cluster/api/validation/quantity.ts';
import { vwebDeployment } from './ch09-manifests.ts';

describe('Go value rendering', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\tnew\nline', '"tab\\tnew\\nline"'],
    ['\u0001', '"\\x01"'],
    ['한국어', '"한국어"'],
  ])('quotes %j like strconv.Quote', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });

  it('prints maps with sorted keys, nil maps and slices', () => {
    expect(goStringMap({ version: 'v1', app: 'vweb' }).text).toBe(
      'map[string]string{"app":"vweb", "version":"v1"}',
    );
    expect(goStringMap({}).text).toBe('map[string]string{}');
    expect(goStringMap(undefined).text).toBe('map[string]string(nil)');
    expect(goStringSlice(['10.96.0.1', '::1']).text).toBe('[]string{"10.96.0.1", "::1"}');
    expect(goStringSlice(null).text).toBe('[]string(nil)');
  });

  it.each<[unknown, string]>([
    ['25%', 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}'],
    [3, 'intstr.IntOrString{Type:0, IntVal:3, StrVal:""}'],
    [undefined, 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}'],
  ])('prints IntOrString %j as the struct', (value, expected) => {
    expect(goIntOrString(value).text).toBe(expected);
  });

  it('prints a label selector with expressions', () => {
    expect(
      goLabelSelector({
        matchLabels: { app: 'vweb' },
        matchExpressions: [{ key: 'tier', operator: 'Exists' }],
      }).text,
    ).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"vweb"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"Exists", Values:[]string(nil)}}}',
    );
  });
});

describe('field error bodies', () => {
  it.each<[FieldError, string]>([
    [required('spec.selector'), 'Required value'],
    [
      required('metadata.name', 'name or generateName is required'),
      'Required value: name or generateName is required',
    ],
    [
      invalid('spec.replicas', -1, 'must be greater than or equal to 0'),
      'Invalid value: -1: must be greater than or equal to 0',
    ],
    [invalid('spec.x', 'a"b', 'bad'), 'Invalid value: "a\\"b": bad'],
    [
      notSupported('spec.type', 'Internal', ['ClusterIP', 'NodePort']),
      'Unsupported value: "Internal": supported values: "ClusterIP", "NodePort"',
    ],
    [forbidden('spec', 'nope'), 'Forbidden: nope'],
    [tooLong('data', 1048576), 'Too long: may not be more than 1048576 bytes'],
  ])('%#', (error, expected) => {
    expect(describeFieldError(error)).toBe(expected);
  });

  it('keeps the JSON bad value beside the Go rendering', () => {
    const error = invalid('spec.template.metadata.labels', goStringMap({ app: 'web' }), 'x');
    expect(error.badValue).toEqual({ app: 'web' });
    expect(error.goValue).toBe('map[string]string{"app":"web"}');
  });
});

describe('string rules', () => {
  it('builds regex messages with upstream punctuation', () => {
    expect(regexMessage('msg', 'x+')).toBe("msg (regex used for validation is 'x+')");
    expect(regexMessage('msg', 'x+', 'a', 'b')).toBe(
      "msg (e.g. 'a',  or 'b', regex used for validation is 'x+')",
    );
  });

  it.each<[string, number]>([
    ['vweb', 0],
    ['a'.repeat(63), 0],
    ['a'.repeat(64), 1],
    ['-web', 1],
    ['web.v1', 1],
  ])('DNS label %j has %i problem(s)', (value, count) => {
    expect(checkDNS1123Label(value)).toHaveLength(count);
  });

  it.each<[string, string[]]>([
    ['app.kubernetes.io/name', []],
    ['a/b/c', ['a qualified name']],
    ['Example.com/app', ['prefix part a lowercase RFC 1123 subdomain']],
    [`${'x'.repeat(64)}`, ['name part must be no more than 63 characters']],
  ])('qualified name %j', (value, prefixes) => {
    const messages = checkQualifiedName(value);
    expect(messages).toHaveLength(prefixes.length);
    prefixes.forEach((prefix, index) => {
      expect(messages[index]?.startsWith(prefix)).toBe(true);
    });
  });
});

describe('IP addresses', () => {
  it.each<[string, boolean]>([
    ['10.0.0.1', true],
    ['10.0.0.256', false],
    ['::1', true],
    ['2001:db8::ffff', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['None', false],
  ])('%s is an IP: %s', (value, expected) => {
    expect(isIPAddress(value)).toBe(expected);
  });
});

describe('quantities', () => {
  it.each<[unknown, string]>([
    ['0.5', '500m'],
    [0.5, '500m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['2000', '2k'],
    ['10', '10'],
    ['100k', '100k'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['50Mi', '50Mi'],
    ['1e3', '1e3'],
    ['12e2', '1200'],
    ['0', '0'],
    ['0m', '0'],
    ['-1Gi', '-1Gi'],
    [2, '2'],
  ])('%j is canonically %s', (input, expected) => {
    const quantity = parseQuantity(input);
    expect(quantity && formatQuantity(quantity)).toBe(expected);
  });

  it('rounds resource lists up to milli and leaves non-quantities alone', () => {
    expect(canonicalResourceQuantity('0.0001')).toBe('1m');
    expect(canonicalResourceQuantity('1.0005')).toBe('1001m');
    expect(canonicalResourceQuantity('lots')).toBe('lots');
    expect(parseQuantity('1.2.3')).toBeUndefined();
    expect(parseQuantity('5Q')).toBeUndefined();
  });
});

describe('the 422 Status', () => {
  function invalidDeploymentErrors(): FieldError[] {
    const deployment = vwebDeployment();
    deployment.spec.replicas = -1;
    deployment.spec.template.metadata.labels = { app: 'web' };
    return validateObject('Deployment', applyDefaults('Deployment', deployment));
  }

  it('words a single error like the API server and kubectl', () => {
    const deployment = vwebDeployment();
    deployment.spec.template.metadata.labels = { app: 'web' };
    const errors = validateObject('Deployment', applyDefaults('Deployment', deployment));
    expect(formatInvalidMessage('Deployment', 'vweb', errors)).toBe(
      'Deployment.apps "vweb" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
    expect(formatKubectlInvalidMessage('Deployment', 'vweb', errors)).toBe(
      'The Deployment "vweb" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
  });

  it('joins several errors in brackets, and kubectl lists them', () => {
    const errors = invalidDeploymentErrors();
    expect(formatInvalidMessage('Deployment', 'vweb', errors)).toBe(
      'Deployment.apps "vweb" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
    );
    expect(formatKubectlInvalidMessage('Deployment', 'vweb', errors)).toBe(
      'The Deployment "vweb" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
  });

  it('drops repeated messages from the text but not from the causes', () => {
    const twice = [required('spec.ports'), required('spec.ports')];
    expect(formatInvalidMessage('Service', 'vweb', twice)).toBe(
      'Service "vweb" is invalid: spec.ports: Required value',
    );
    expect(toStatusCauses(twice)).toHaveLength(2);
  });

  it('builds causes and the StatusError', () => {
    const errors = invalidDeploymentErrors();
    expect(toStatusCauses(errors)[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: -1: must be greater than or equal to 0',
      field: 'spec.replicas',
    });
    const error = toInvalidError('Deployment', 'vweb', errors);
    expect(error.code).toBe(422);
    expect(error.status.reason).toBe('Invalid');
    expect(error.status.details).toMatchObject({ kind: 'Deployment', group: 'apps', name: 'vweb' });
    expect(error.status.details?.causes).toHaveLength(2);
    expect(formatInvalidMessage('Role', 'learner', [required('rules[0].verbs')])).toBe(
      'Role.rbac.authorization.k8s.io "learner" is invalid: rules[0].verbs: Required value',
    );
  });
});
