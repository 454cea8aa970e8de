import { describe, expect, it } from 'vitest';
import { describeConversionFailure } from '../../../sandbox/cluster/api/patch/conversion-errors.ts';

const field = (value: string, type: string) =>
  `json: cannot unmarshal ${value} into Go struct field DeploymentSpec.spec.x of type ${type}`;

describe('the unstructured converter message for a decoder type error', () => {
  it.each([
    // kubectl edit with `replicas: three`: Go cannot convert a string to a number.
    [field('string', 'int32'), 'unrecognized type: int32'],
    [field('bool', 'int32'), 'unrecognized type: int32'],
    [field('string', 'bool'), 'unrecognized type: bool'],
    [field('object', 'string'), 'unrecognized type: string'],
    [field('array', 'int64'), 'unrecognized type: int64'],
    // Go converts an integer to a string, but the converter refuses to.
    [field('number', 'string'), 'cannot convert int64 to string'],
    [field('number 1.5', 'int32'), 'cannot convert float64 to int32'],
    [field('string', '[]v1.Container'), 'cannot restore slice from string'],
    [field('object', '[]string'), 'cannot restore slice from map'],
    [field('number', 'map[string]string'), 'cannot restore map from int64'],
    [field('array', 'v1.PodSpec'), 'cannot restore struct from: slice'],
    [field('bool', 'v1.RollingUpdateDeployment'), 'cannot restore struct from: bool'],
    ['json: cannot unmarshal string into Go value of type int32', 'unrecognized type: int32'],
  ])('%s → %s', (decoded, expected) => {
    expect(describeConversionFailure(decoded)).toBe(expected);
  });

  it.each([
    // Types that convert themselves word their failures otherwise.
    field('bool', 'intstr.IntOrString'),
    field('object', 'resource.Quantity'),
    field('number', 'v1.Time'),
    field('number', '[]uint8'),
    // A whole number out of an int32's range is wrapped by the converter, not refused.
    field('number 3000000000', 'int32'),
    // Not a type error at all.
    'strict decoding error: unknown field "spec.replicass"',
    'illegal base64 data at input byte 3',
  ])('leaves %s to the decoder', (decoded) => {
    expect(describeConversionFailure(decoded)).toBeUndefined();
  });
});
