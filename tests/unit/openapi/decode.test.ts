import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../sandbox/cluster/api/objects.ts';
import {
  decodeStrict,
  findBase64Error,
  findQuantityError,
  formatWarningHeader,
  parseFieldValidation,
  pruneUnknownFields,
} from '../../../sandbox/cluster/api/openapi/decode.ts';
import { parseJsonText } from '../../../sandbox/cluster/api/openapi/json-text.ts';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

/** A Deployment with the fields a chapter-9 manifest uses, probes and resources included. */
function fullDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vweb', labels: { app: 'vweb' }, annotations: { 'kubernetes.io/change-cause': 'v1' } },
    spec: {
      replicas: 3,
      minReadySeconds: 10,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 120,
      selector: {
        matchLabels: { app: 'vweb' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }],
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'vweb' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'web',
              image: 'kiamol/ch09-vweb:v1',
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c'],
              args: ['httpd -f'],
              env: [
                { name: 'MODE', value: 'blue' },
                { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
              resources: {
                limits: { cpu: '250m', memory: '64Mi' },
                requests: { cpu: 0.1, memory: 32_000_000 },
              },
              readinessProbe: {
                httpGet: { path: '/v.txt', port: 80 },
                periodSeconds: 5,
                failureThreshold: 1,
              },
              livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 3 },
              startupProbe: { exec: { command: ['cat', '/tmp/ready'] } },
              volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
              securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            },
          ],
          volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
        },
      },
    },
  };
}

function withSpec(patch: (spec: JsonObject) => void): JsonObject {
  const object = fullDeployment();
  patch(object.spec as JsonObject);
  return object;
}

function container(object: JsonObject): JsonObject {
  const template = (object.spec as JsonObject).template as JsonObject;
  return ((template.spec as JsonObject).containers as JsonObject[])[0]!;
}

const PREFIX = 'Deployment in version "v1" cannot be handled as a Deployment: ';

describe('decodeStrict under Strict', () => {
  const cases: { name: string; body: JsonObject | string; gvk?: typeof DEPLOYMENT; message: string }[] = [
    {
      name: 'an unknown top-level spec field',
      body: withSpec((spec) => {
        spec.replicass = 2;
      }),
      message: `${PREFIX}strict decoding error: unknown field "spec.replicass"`,
    },
    {
      name: 'an unknown field inside containers[0], with its list index',
      body: (() => {
        const object = fullDeployment();
        container(object).imagePullPolicyy = 'Always';
        return object;
      })(),
      message: `${PREFIX}strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"`,
    },
    {
      name: 'several unknown fields, joined in the order written',
      body: withSpec((spec) => {
        spec.foo = 1;
        (spec.strategy as JsonObject).rollingupdate = {};
      }),
      message: `${PREFIX}strict decoding error: unknown field "spec.strategy.rollingupdate", unknown field "spec.foo"`,
    },
    {
      name: 'a string where an int32 belongs',
      body: withSpec((spec) => {
        spec.replicas = 'three';
      }),
      message: `${PREFIX}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
    },
    {
      name: 'a fraction where an int32 belongs',
      body: withSpec((spec) => {
        spec.replicas = 1.5;
      }),
      message: `${PREFIX}json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32`,
    },
    {
      name: 'a number as a label value (map values have no key in the Go field path)',
      body: (() => {
        const object = fullDeployment();
        (object.metadata as JsonObject).labels = { app: 'vweb', version: 2 };
        return object;
      })(),
      message: `${PREFIX}json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`,
    },
    {
      name: 'an object where a list belongs',
      body: (() => {
        const object = fullDeployment();
        (((object.spec as JsonObject).template as JsonObject).spec as JsonObject).containers = {
          name: 'web',
        };
        return object;
      })(),
      message: `${PREFIX}json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container`,
    },
    {
      name: 'a bool as maxSurge (IntOrString decodes non-strings as int32)',
      body: withSpec((spec) => {
        spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } };
      }),
      message: `${PREFIX}json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32`,
    },
    {
      name: 'a quantity that is not one',
      body: (() => {
        const object = fullDeployment();
        container(object).resources = { limits: { memory: '64MB' } };
        return object;
      })(),
      message: `${PREFIX}quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    },
    {
      name: 'a type error wins over unknown fields',
      body: withSpec((spec) => {
        spec.bogus = true;
        spec.paused = 'yes';
      }),
      message: `${PREFIX}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool`,
    },
    {
      name: 'duplicated and unknown fields in raw text, reported once each in text order',
      body: `{"apiVersion":"apps/v1","kind":"Deployment",
        "metadata":{"name":"a","name":"b","unknownMeta":1},
        "spec":{"unknown1":1,"unknownDupe":1,"unknownDupe":2,"paused":true,"paused":false,
          "selector":{"matchLabels":{"app":"x"}},
          "template":{"metadata":{"labels":{"app":"x","app":"y"}},"spec":{"containers":[
            {"name":"c","image":"i","unknownNested":1,"imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`,
      message:
        `${PREFIX}strict decoding error: duplicate field "metadata.name", unknown field "metadata.unknownMeta", ` +
        'unknown field "spec.unknown1", unknown field "spec.unknownDupe", duplicate field "spec.paused", ' +
        'duplicate field "spec.template.metadata.labels.app", unknown field "spec.template.spec.containers[0].unknownNested", ' +
        'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    },
    {
      name: 'malformed JSON',
      body: '{"apiVersion":"apps/v1","kind":}',
      message:
        "the object provided is unrecognized (must be of type Deployment): couldn't get version/kind; json parse error: " +
        `invalid character '}' looking for beginning of value ({"apiVersion":"apps/v1","kind" ...)`,
    },
    {
      name: 'a Secret whose data is not base64',
      gvk: { group: '', version: 'v1', kind: 'Secret' },
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'hello' } },
      message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
    },
  ];
  it.each(cases)('rejects $name with 400 BadRequest', ({ body, gvk, message }) => {
    const result = decodeStrict(gvk ?? DEPLOYMENT, body, 'Strict');
    expect(result.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message,
    });
    expect(result.object).toBeUndefined();
  });

  it('accepts a full Deployment with probes, resources and terminationGracePeriodSeconds unchanged', () => {
    const body = fullDeployment();
    const result = decodeStrict(DEPLOYMENT, JSON.stringify(body), 'Strict');
    expect(result).toEqual({ object: body, errors: [], warnings: [] });
  });

  it('accepts a Service with a named targetPort and a NodePort', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'vweb' },
      spec: {
        type: 'NodePort',
        selector: { app: 'vweb' },
        ports: [{ port: 8090, targetPort: 'http', nodePort: 30090 }],
      },
    };
    expect(
      decodeStrict({ group: '', version: 'v1', kind: 'Service' }, service, 'Strict').status,
    ).toBeUndefined();
  });

  it('gives the reason without the prefix for callers that word it themselves', () => {
    const result = decodeStrict(
      DEPLOYMENT,
      withSpec((spec) => {
        spec.x = 1;
      }),
      'Strict',
    );
    expect(result.reason).toBe('strict decoding error: unknown field "spec.x"');
    expect(result.errors).toEqual(['unknown field "spec.x"']);
  });
});

describe('decodeStrict under Warn and Ignore', () => {
  const body = withSpec((spec) => {
    spec.replicass = 2;
    spec.replicas = null;
  });
  it('Warn keeps going, warns per field and drops the unknown ones and nulls', () => {
    const result = decodeStrict(DEPLOYMENT, body, 'Warn');
    expect(result.status).toBeUndefined();
    expect(result.warnings).toEqual(['unknown field "spec.replicass"']);
    const spec = result.object?.spec as JsonObject;
    expect(spec).not.toHaveProperty('replicass');
    expect(spec).not.toHaveProperty('replicas');
    expect(spec.minReadySeconds).toBe(10);
  });
  it('Ignore drops them silently', () => {
    const result = decodeStrict(DEPLOYMENT, body, 'Ignore');
    expect(result.warnings).toEqual([]);
    expect(result.object?.spec).not.toHaveProperty('replicass');
  });
  it('type errors fail even under Ignore', () => {
    const result = decodeStrict(
      DEPLOYMENT,
      withSpec((spec) => {
        spec.replicas = 'three';
      }),
      'Ignore',
    );
    expect(result.status?.code).toBe(400);
  });
});

describe('pruneUnknownFields', () => {
  it('removes unknown fields at every depth and keeps known ones', () => {
    const object = fullDeployment();
    container(object).colour = 'blue';
    (object.metadata as JsonObject).nickname = 'v';
    const pruned = pruneUnknownFields(DEPLOYMENT, object);
    expect(pruned).toEqual(fullDeployment());
  });
});

describe('helpers', () => {
  it.each([
    [null, 'Warn'],
    ['', 'Warn'],
    ['Strict', 'Strict'],
    ['Ignore', 'Ignore'],
    ['strict', undefined],
  ])('parseFieldValidation(%j) is %j', (value, expected) => {
    expect(parseFieldValidation(value)).toBe(expected);
  });

  it('formats a Warning header as kube-apiserver does', () => {
    expect(formatWarningHeader('unknown field "spec.x"')).toBe('299 - "unknown field \\"spec.x\\""');
  });

  it.each([
    ['aGVsbG8=', undefined],
    ['aGVs\nbG8=', undefined],
    ['hello', 4],
    ['aGVsbG8', 4],
    ['ab$d', 2],
    ['a===', 1],
    ['aG=x', 2],
    ['aGk=x', 4],
  ])('base64 %j fails at %j', (text, offset) => {
    expect(findBase64Error(text)).toBe(offset);
  });

  it.each([
    ['500m', undefined],
    ['1Gi', undefined],
    ['1e3', undefined],
    [0.5, undefined],
    ['64MB', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1kk', "unable to parse quantity's suffix"],
    [true, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ])('quantity %j → %j', (value, expected) => {
    expect(findQuantityError(value)).toBe(expected);
  });
});

describe('parseJsonText', () => {
  it.each([
    ['{"a":}', "invalid character '}' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":1}x', "invalid character 'x' after top-level value"],
    ['{"a":"b', 'unexpected end of JSON input'],
    ['', 'unexpected end of JSON input'],
  ])('%j fails with Go wording: %s', (text, message) => {
    expect(() => parseJsonText(text)).toThrow(message);
  });

  it('decodes escapes and keeps the last of repeated keys, remembering the repeat', () => {
    const parsed = parseJsonText('{"a":"x\\u00e9\\n","a":2,"b":[true,null,-1.5e2]}');
    expect(parsed.value).toEqual({ a: 2, b: [true, null, -150] });
    expect(parsed.entriesWithDuplicates.get(parsed.value as JsonObject)?.map(([key]) => key)).toEqual([
      'a',
      'a',
      'b',
    ]);
  });

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const result = decodeStrict(
      { group: '', version: 'v1', kind: 'ConfigMap' },
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"x","polluted":"y"}}',
      'Strict',
    );
    const data = result.object?.data as JsonObject;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__', 'polluted']);
    expect(({} as JsonObject).polluted).toBeUndefined();
  });
});
