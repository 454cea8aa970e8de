import { describe, expect, it } from 'vitest';
import {
  ANY_VERSION_KINDS,
  buildMessageRegistry,
  isScalarType,
  isSpecialType,
  MESSAGES,
  MessageTableError,
  parseFieldSpec,
  parseMessageSpec,
  TOP_LEVEL_KINDS,
  UNSUPPORTED_MESSAGES,
} from '../../../sandbox/cluster/api/protobuf/message-tables.ts';

describe('table grammar', () => {
  it.each([
    {
      entry: '1 replicas:*int32',
      spec: { number: 1, jsonName: 'replicas', type: 'int32', shape: 'pointer', alwaysWritten: false },
    },
    {
      entry: '2 selector:*LabelSelector!',
      spec: { number: 2, jsonName: 'selector', type: 'LabelSelector', shape: 'pointer', alwaysWritten: true },
    },
    {
      entry: '3 command:[]string',
      spec: { number: 3, jsonName: 'command', type: 'string', shape: 'repeated', alwaysWritten: false },
    },
    {
      entry: '11 labels:{string}',
      spec: { number: 11, jsonName: 'labels', type: 'string', shape: 'map', alwaysWritten: false },
    },
    {
      entry: '3 port:int32!',
      spec: { number: 3, jsonName: 'port', type: 'int32', shape: 'value', alwaysWritten: true },
    },
    {
      entry: ' 2 ...:VolumeSource ',
      spec: { number: 2, jsonName: undefined, type: 'VolumeSource', shape: 'value', alwaysWritten: false },
    },
  ])('reads "$entry"', ({ entry, spec }) => {
    expect(parseFieldSpec(entry, 'Test')).toEqual(spec);
  });

  it.each([
    'replicas:*int32',
    '1 replicas *int32',
    '1 labels:{string',
    '1 labels:string}',
    '1 ...:*VolumeSource',
    '1 ...:VolumeSource!',
    '1 x:[]*int32',
  ])('refuses "%s"', (entry) => {
    expect(() => parseFieldSpec(entry, 'Test')).toThrow(MessageTableError);
  });

  it('refuses a field number used twice and a message declared twice', () => {
    expect(() => parseMessageSpec('Twice', '1 a:string, 1 b:string')).toThrow('field 1 appears twice');
    expect(() => buildMessageRegistry([{ A: '1 a:string' }, { A: '1 b:string' }])).toThrow(
      'message A is declared twice',
    );
  });
});

describe('the tables', () => {
  const isKnownMessage = (type: string) => MESSAGES.has(type) || UNSUPPORTED_MESSAGES.includes(type);

  it('name only scalars, special types and messages that are either tabled or declared unsupported', () => {
    const dangling: string[] = [];
    for (const message of MESSAGES.values()) {
      for (const field of message.fields) {
        if (!isScalarType(field.type) && !isSpecialType(field.type) && !isKnownMessage(field.type))
          dangling.push(`${message.name}.${field.number} → ${field.type}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('hold unsupported messages only behind pointers and lists, so an absent one needs no zero value', () => {
    const values = [...MESSAGES.values()].flatMap((message) =>
      message.fields
        .filter((field) => UNSUPPORTED_MESSAGES.includes(field.type) && field.shape === 'value')
        .map((field) => `${message.name}.${field.jsonName}`),
    );
    expect(values).toEqual([]);
  });

  it('declare no unsupported message that is also tabled, and no repeated or map of numbers (packed encoding)', () => {
    expect(UNSUPPORTED_MESSAGES.filter((name) => MESSAGES.has(name))).toEqual([]);
    const packable = [...MESSAGES.values()].flatMap((message) =>
      message.fields
        .filter((field) => field.shape === 'repeated' && ['int32', 'int64', 'bool'].includes(field.type))
        .map((field) => `${message.name}.${field.jsonName}`),
    );
    expect(packable).toEqual([]);
  });

  it('nest without cycles (decoding depth is bounded by the tables)', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (name: string, trail: string[]): void => {
      if (done.has(name)) return;
      if (visiting.has(name)) {
        cycles.push([...trail, name].join(' → '));
        return;
      }
      visiting.add(name);
      for (const field of MESSAGES.get(name)?.fields ?? []) {
        if (MESSAGES.has(field.type)) visit(field.type, [...trail, name]);
      }
      visiting.delete(name);
      done.add(name);
    };
    for (const name of MESSAGES.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('map every top-level kind to a message whose field 1 is metadata', () => {
    for (const [kind, message] of Object.entries({ ...TOP_LEVEL_KINDS })) {
      expect(MESSAGES.get(message)?.byNumber.get(1), kind).toMatchObject({
        jsonName: 'metadata',
        type: 'ObjectMeta',
      });
    }
    expect(MESSAGES.has(ANY_VERSION_KINDS.DeleteOptions!)).toBe(true);
  });

  // Spot checks of interface facts against upstream generated.proto, where a slip would be silent.
  it.each([
    { message: 'ObjectMeta', number: 8, jsonName: 'creationTimestamp', type: 'Time' },
    { message: 'ObjectMeta', number: 17, jsonName: 'managedFields', type: 'ManagedFieldsEntry' },
    { message: 'OwnerReference', number: 5, jsonName: 'apiVersion', type: 'string' },
    { message: 'DeploymentStatus', number: 7, jsonName: 'readyReplicas', type: 'int32' },
    { message: 'DeploymentSpec', number: 9, jsonName: 'progressDeadlineSeconds', type: 'int32' },
    { message: 'PodSpec', number: 2, jsonName: 'containers', type: 'Container' },
    { message: 'PodSpec', number: 40, jsonName: 'resources', type: 'ResourceRequirements' },
    { message: 'Container', number: 19, jsonName: 'envFrom', type: 'EnvFromSource' },
    { message: 'Container', number: 8, jsonName: 'resources', type: 'ResourceRequirements' },
    { message: 'ServiceSpec', number: 18, jsonName: 'clusterIPs', type: 'string' },
    { message: 'ServicePort', number: 4, jsonName: 'targetPort', type: 'IntOrString' },
    { message: 'Secret', number: 2, jsonName: 'data', type: 'bytes' },
    { message: 'Secret', number: 5, jsonName: 'immutable', type: 'bool' },
    { message: 'VolumeSource', number: 19, jsonName: 'configMap', type: 'ConfigMapVolumeSource' },
    { message: 'TokenRequestSpec', number: 4, jsonName: 'expirationSeconds', type: 'int64' },
    { message: 'SubjectAccessReviewStatus', number: 4, jsonName: 'denied', type: 'bool' },
    { message: 'ResourceAttributes', number: 9, jsonName: 'labelSelector', type: 'LabelSelectorAttributes' },
    { message: 'PolicyRule', number: 5, jsonName: 'nonResourceURLs', type: 'string' },
  ])('$message field $number is $jsonName ($type)', ({ message, number, jsonName, type }) => {
    expect(MESSAGES.get(message)?.byNumber.get(number)).toMatchObject({ jsonName, type });
  });
});
