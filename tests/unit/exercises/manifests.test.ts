/**
 * The chapter 9 exercise manifests (`content/exercises/ch09/`) against the chapter's exercise map
 * (`CHAPTER9.md`, "Manifests"): every file parses, every object is one a real API server would
 * accept (known field names from the upstream OpenAPI models, selectors that match their
 * templates, strategies that the API allows), and each file holds exactly the names, images and
 * rollout settings the lessons' commands and checks rely on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const exercisesRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../content/exercises/ch09');

type JsonObject = { [key: string]: unknown };

/** One YAML document of one exercise file. */
type ManifestDocument = {
  file: string;
  index: number;
  object: JsonObject;
};

/** Every `.yaml` file under a folder, as absolute paths in name order. */
function walkYamlFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((entry) => {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) return walkYamlFiles(path);
      return entry.endsWith('.yaml') || entry.endsWith('.yml') ? [path] : [];
    });
}

/** Every exercise file, relative to the exercise folder with `/` separators. */
function listManifestFiles(): string[] {
  return walkYamlFiles(exercisesRoot).map((path) => relative(exercisesRoot, path).split(sep).join('/'));
}

/** Parses a file's documents, failing on any YAML error or warning rather than guessing. */
function readManifest(file: string): ManifestDocument[] {
  const text = readFileSync(join(exercisesRoot, file), 'utf8');
  return parseAllDocuments(text).map((document, index) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) throw new Error(`${file} document ${index}: ${problems[0]!.message}`);
    const object = document.toJS() as unknown;
    if (!isObject(object)) throw new Error(`${file} document ${index} is not a mapping`);
    return { file, index, object };
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `spec.template.spec.containers.0.image`-style paths: numeric segments index arrays and
 * `length` counts them.
 */
function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) current = segment === 'length' ? current.length : current[Number(segment)];
    else if (isObject(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** A deep copy without the given paths, to compare two objects except where they may differ. */
function omitPaths(value: JsonObject, paths: string[]): JsonObject {
  const copy = structuredClone(value);
  for (const path of paths) {
    const segments = path.split('.');
    const last = segments.pop()!;
    const parent = getPath(copy, segments.join('.'));
    if (isObject(parent)) delete parent[last];
  }
  return copy;
}

const allFiles = listManifestFiles();
const allDocuments = allFiles.flatMap(readManifest);

function documentsOf(file: string): ManifestDocument[] {
  return allDocuments.filter((document) => document.file === file);
}

/** The single object of a kind in a file; fails when there is none or more than one. */
function objectOf(file: string, kind: string): JsonObject {
  const found = documentsOf(file).filter((document) => document.object.kind === kind);
  if (found.length !== 1) throw new Error(`${file}: expected one ${kind}, found ${found.length}`);
  return found[0]!.object;
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function describeDocument(document: ManifestDocument): string {
  const name = getPath(document.object, 'metadata.name');
  return `${document.file} #${document.index} ${String(document.object.kind)}/${String(name)}`;
}

// ---------------------------------------------------------------------------------------------
// Field names and types, from the model metadata client-node generates from the upstream spec.

type AttributeType = { baseName: string; type: string };
type ModelClass = { getAttributeTypeMap(): AttributeType[] };

const modelClasses = models as unknown as Record<string, ModelClass | undefined>;

/** `apps/v1` + `Deployment` → `V1Deployment`, the client-node class of that kind. */
function modelNameOf(apiVersion: unknown, kind: unknown): string {
  const version = String(apiVersion).split('/').pop()!;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${String(kind)}`;
}

/**
 * Walks a value against a client-node type and lists every field the API would reject as
 * unknown (kubectl sends `fieldValidation=Strict`) or whose JSON type is wrong, e.g. an env
 * `value: true` that YAML reads as a boolean where the API wants a string.
 */
function findSchemaProblems(value: unknown, type: string, path: string): string[] {
  const arrayItem = /^Array<(.+)>$/.exec(type);
  const mapValue = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (type === 'any') return [];
  if (type === 'string' || type === 'Date')
    return typeof value === 'string' ? [] : [`${path}: want a string`];
  if (type === 'number') return Number.isInteger(value) ? [] : [`${path}: want an integer`];
  if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: want a boolean`];
  if (type === 'IntOrString') {
    return Number.isInteger(value) || typeof value === 'string' ? [] : [`${path}: want an int or a string`];
  }
  if (arrayItem) {
    if (!Array.isArray(value)) return [`${path}: want a list`];
    return value.flatMap((item, index) => findSchemaProblems(item, arrayItem[1]!, `${path}[${index}]`));
  }
  if (mapValue) {
    if (!isObject(value)) return [`${path}: want a map`];
    return Object.entries(value).flatMap(([key, item]) =>
      findSchemaProblems(item, mapValue[1]!, `${path}.${key}`),
    );
  }
  const model = modelClasses[type];
  if (!model) return [`${path}: no client-node model ${type}`];
  if (!isObject(value)) return [`${path}: want an object (${type})`];
  const attributes = new Map(
    model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]),
  );
  return Object.entries(value).flatMap(([key, item]) => {
    const itemType = attributes.get(key);
    if (itemType === undefined) return [`${path}.${key}: unknown field of ${type}`];
    return findSchemaProblems(item, itemType, `${path}.${key}`);
  });
}

describe('findSchemaProblems (the validator the manifests are checked with)', () => {
  const cases: [string, JsonObject, string[]][] = [
    [
      'a valid Deployment',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 1 } },
      [],
    ],
    [
      'a misspelt field',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { minReadySecond: 5 } },
      ['Deployment.spec.minReadySecond: unknown field of V1DeploymentSpec'],
    ],
    [
      'a boolean env value',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        spec: { containers: [{ name: 'a', env: [{ name: 'X', value: true }] }] },
      },
      ['Pod.spec.containers[0].env[0].value: want a string'],
    ],
    [
      'maxSurge as a percentage string',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } },
      },
      [],
    ],
  ];
  it.each(cases)('%s', (_label, object, expected) => {
    const modelName = modelNameOf(object.apiVersion, object.kind);
    expect(findSchemaProblems(object, modelName, String(object.kind))).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Rules the API server applies beyond the schema (apps/v1 and core/v1 validation).

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const portName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function labelsOf(value: unknown): Record<string, string> {
  return isObject(value) ? (value as Record<string, string>) : {};
}

function podSpecOf(object: JsonObject): JsonObject | undefined {
  const spec = getPath(object, 'spec.template.spec');
  return isObject(spec) ? spec : undefined;
}

function containersOf(podSpec: JsonObject): JsonObject[] {
  const containers = [podSpec.containers, podSpec.initContainers].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return containers.filter(isObject);
}

/**
 * Problems in a Pod template that the API server would reject. `claimNames` are a StatefulSet's
 * volumeClaimTemplates, which the template mounts like volumes of its own.
 */
function findPodSpecProblems(podSpec: JsonObject, claimNames: string[]): string[] {
  const problems: string[] = [];
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes.filter(isObject) : [];
  const volumeNames = [...volumes.map((volume) => String(volume.name)), ...claimNames];
  if (new Set(volumeNames).size !== volumeNames.length) problems.push('duplicate volume names');
  const containers = containersOf(podSpec);
  const containerNames = containers.map((container) => String(container.name));
  if (new Set(containerNames).size !== containerNames.length) problems.push('duplicate container names');
  const portNames: string[] = [];
  for (const container of containers) {
    if (!dns1123Label.test(String(container.name))) problems.push(`container name ${String(container.name)}`);
    if (typeof container.image !== 'string' || container.image === '')
      problems.push('container without image');
    for (const port of Array.isArray(container.ports) ? container.ports.filter(isObject) : []) {
      if (port.name === undefined) continue;
      const name = String(port.name);
      // IANA service names: at most 15 characters, with at least one letter.
      if (!portName.test(name) || name.length > 15 || !/[a-z]/.test(name)) problems.push(`port name ${name}`);
      portNames.push(name);
    }
    for (const env of Array.isArray(container.env) ? container.env.filter(isObject) : []) {
      if (!envVarName.test(String(env.name))) problems.push(`env name ${String(env.name)}`);
    }
    const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isObject) : [];
    for (const mount of mounts) {
      if (!volumeNames.includes(String(mount.name))) {
        problems.push(`${String(container.name)} mounts unknown volume ${String(mount.name)}`);
      }
    }
    const mountPaths = mounts.map((mount) => String(mount.mountPath));
    if (new Set(mountPaths).size !== mountPaths.length) problems.push('duplicate mount paths');
  }
  if (new Set(portNames).size !== portNames.length) problems.push('duplicate port names');
  return problems;
}

/** Problems the API server would report for a workload's spec (selector, strategy, template). */
function findWorkloadProblems(object: JsonObject): string[] {
  const problems: string[] = [];
  const matchLabels = labelsOf(getPath(object, 'spec.selector.matchLabels'));
  const templateLabels = labelsOf(getPath(object, 'spec.template.metadata.labels'));
  if (Object.keys(matchLabels).length === 0) problems.push('empty selector');
  for (const [key, value] of Object.entries(matchLabels)) {
    if (templateLabels[key] !== value) problems.push(`selector ${key}=${value} does not match the template`);
  }
  const strategy = getPath(object, object.kind === 'Deployment' ? 'spec.strategy' : 'spec.updateStrategy');
  if (isObject(strategy)) {
    const allowed =
      object.kind === 'Deployment' ? ['Recreate', 'RollingUpdate'] : ['OnDelete', 'RollingUpdate'];
    if (!allowed.includes(String(strategy.type))) problems.push(`strategy type ${String(strategy.type)}`);
    if (strategy.type !== 'RollingUpdate' && strategy.rollingUpdate !== undefined) {
      problems.push(`rollingUpdate given with strategy ${String(strategy.type)}`);
    }
    const rollingUpdate = strategy.rollingUpdate;
    if (object.kind !== 'StatefulSet' && isObject(rollingUpdate)) {
      // Defaults: a Deployment surges 25% and leaves 25% unavailable, a DaemonSet 0 and 1.
      // Both at 0 could never progress, so the API rejects it.
      const isDeployment = object.kind === 'Deployment';
      const maxSurge = rollingUpdate.maxSurge ?? (isDeployment ? '25%' : 0);
      const maxUnavailable = rollingUpdate.maxUnavailable ?? (isDeployment ? '25%' : 1);
      if (maxSurge === 0 && maxUnavailable === 0) problems.push('maxSurge and maxUnavailable are both 0');
    }
  }
  const claims = getPath(object, 'spec.volumeClaimTemplates');
  const claimNames = Array.isArray(claims)
    ? claims.map((claim) => String(getPath(claim, 'metadata.name')))
    : [];
  const podSpec = podSpecOf(object);
  if (!podSpec) problems.push('no pod template');
  else problems.push(...findPodSpecProblems(podSpec, claimNames));
  return problems;
}

describe('findWorkloadProblems (the rules the manifests are checked with)', () => {
  const template = {
    metadata: { labels: { app: 'vweb', version: 'v1' } },
    spec: { containers: [{ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 80 }] }] },
  };
  const cases: [string, JsonObject, string[]][] = [
    [
      'a valid Deployment',
      { kind: 'Deployment', spec: { selector: { matchLabels: { app: 'vweb' } }, template } },
      [],
    ],
    [
      'a selector the template does not carry',
      { kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' } }, template } },
      ['selector app=web does not match the template'],
    ],
    [
      'rollingUpdate with Recreate',
      {
        kind: 'Deployment',
        spec: {
          selector: { matchLabels: { app: 'vweb' } },
          strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } },
          template,
        },
      },
      ['rollingUpdate given with strategy Recreate'],
    ],
    [
      'a rolling update that cannot move',
      {
        kind: 'Deployment',
        spec: {
          selector: { matchLabels: { app: 'vweb' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
          template,
        },
      },
      ['maxSurge and maxUnavailable are both 0'],
    ],
  ];
  it.each(cases)('%s', (_label, object, expected) => {
    expect(findWorkloadProblems(object)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

describe('every exercise file', () => {
  it('exists for every row of the exercise map', () => {
    expect([...allFiles].sort()).toEqual(
      [
        'lab/solution/vweb-deployment-v2.yaml',
        'lab/solution/vweb-service-v2.yaml',
        'lab/v1/vweb-deployment-v1.yaml',
        'lab/v1/vweb-service-v1.yaml',
        'todo-list/db/todo-db-config.yaml',
        'todo-list/db/todo-db-secret.yaml',
        'todo-list/db/todo-db-service.yaml',
        'todo-list/db/todo-db.yaml',
        'todo-list/db/update/todo-db-rollingUpdate-partition.yaml',
        'todo-list/db/update/todo-db-rollingUpdate.yaml',
        'todo-list/proxy/todo-proxy-config.yaml',
        'todo-list/proxy/todo-proxy-service.yaml',
        'todo-list/proxy/todo-proxy.yaml',
        'todo-list/proxy/update/nginx-rollingUpdate.yaml',
        'todo-list/web/todo-web-config.yaml',
        'todo-list/web/todo-web-secret.yaml',
        'todo-list/web/todo-web-service.yaml',
        'todo-list/web/todo-web.yaml',
        'todo-list/web/update/todo-web-readonly.yaml',
        'vweb-rolling-update/v2/vweb-v2.yaml',
        'vweb-rolling-update/vweb-service.yaml',
        'vweb-rolling-update/vweb-v1.yaml',
        'vweb-strategies/vweb-recreate-v2.yaml',
        'vweb-strategies/vweb-recreate-v3.yaml',
        'vweb-strategies/vweb-rollingUpdate-v2.yaml',
        'vweb-strategies/vweb-rollingUpdate-v3.yaml',
        'vweb/update/vweb-configMap-v31.yaml',
        'vweb/update/vweb-v1-scale.yaml',
        'vweb/update/vweb-v11.yaml',
        'vweb/update/vweb-v2.yaml',
        'vweb/update/vweb-v3-with-configMap.yaml',
        'vweb/update/vweb-v4-with-configMap.yaml',
        'vweb/update/vweb-v41-with-configMap.yaml',
        'vweb/vweb-service.yaml',
        'vweb/vweb-v1.yaml',
      ].sort(),
    );
  });

  it.each(allFiles)('%s starts with a comment saying what the exercise uses it for', (file) => {
    const text = readFileSync(join(exercisesRoot, file), 'utf8');
    expect(text).toMatch(/^# \S.{20,}\n/);
  });
});

describe.each(allDocuments.map((document) => [describeDocument(document), document] as const))(
  '%s',
  (_title, document) => {
    const { object } = document;

    it('has apiVersion, kind, a valid name and the chapter label', () => {
      expect(object.apiVersion).toMatch(/^(v1|apps\/v1)$/);
      expect(typeof object.kind).toBe('string');
      const name = String(getPath(object, 'metadata.name'));
      expect(name).toMatch(object.kind === 'Service' ? dns1035Label : dns1123Subdomain);
      expect(name.length).toBeLessThanOrEqual(63);
      const expectedLabel = document.file.startsWith('lab/') ? 'ch09-lab' : 'ch09';
      expect(getPath(object, 'metadata.labels.kiamol')).toBe(expectedLabel);
    });

    it('uses only fields and types the Kubernetes API defines', () => {
      const modelName = modelNameOf(object.apiVersion, object.kind);
      expect(findSchemaProblems(object, modelName, String(object.kind))).toEqual([]);
    });

    it('has label values the API accepts', () => {
      const labelSets = [
        getPath(object, 'metadata.labels'),
        getPath(object, 'spec.selector.matchLabels'),
        getPath(object, 'spec.template.metadata.labels'),
        object.kind === 'Service' ? getPath(object, 'spec.selector') : undefined,
      ];
      for (const labels of labelSets) {
        for (const value of Object.values(labelsOf(labels))) {
          expect(value).toMatch(labelValue);
          expect(value.length).toBeLessThanOrEqual(63);
        }
      }
    });

    if (workloadKinds.has(String(object.kind))) {
      it('has a selector that matches its template, a valid strategy and a valid pod template', () => {
        expect(findWorkloadProblems(object)).toEqual([]);
      });
    }
  },
);

// ---------------------------------------------------------------------------------------------
// The exercise map, row by row: the settings a typo would break.

type Row = { file: string; kind: string; fields: Record<string, unknown> };

/** The fields every `vweb` Deployment shares: the selector is immutable, so it never changes. */
function vwebDeployment(replicas: number, image: string, version: string): Record<string, unknown> {
  return {
    'metadata.name': 'vweb',
    'spec.replicas': replicas,
    'spec.selector': { matchLabels: { app: 'vweb' } },
    'spec.template.metadata.labels': { app: 'vweb', version },
    'spec.template.spec.containers.length': 1,
    'spec.template.spec.containers.0.name': 'web',
    'spec.template.spec.containers.0.image': `kiamol/ch09-vweb:${image}`,
    'spec.template.spec.containers.0.ports': [{ name: 'http', containerPort: 80 }],
  };
}

/** A `vweb` Deployment whose web root is the given ConfigMap, mounted read-only. */
function vwebFromConfigMap(version: string, configMap: string): Record<string, unknown> {
  return {
    ...vwebDeployment(3, 'v2', version),
    'spec.template.spec.containers.0.volumeMounts': [
      { name: 'html', mountPath: '/usr/share/nginx/html/', readOnly: true },
    ],
    'spec.template.spec.volumes': [{ name: 'html', configMap: { name: configMap } }],
  };
}

const vwebService = {
  'metadata.name': 'vweb',
  'spec.type': 'LoadBalancer',
  'spec.selector': { app: 'vweb' },
  'spec.ports': [{ port: 8090, targetPort: 'http' }],
};

const noRollingUpdateTuning = {
  'spec.strategy': undefined,
  'spec.minReadySeconds': undefined,
  'spec.progressDeadlineSeconds': undefined,
};

function labDeployment(version: string): Record<string, unknown> {
  return {
    'metadata.name': `vweb-${version}`,
    'spec.replicas': 4,
    'spec.selector': { matchLabels: { app: 'vweb', version } },
    'spec.template.metadata.labels': { app: 'vweb', version },
    'spec.template.spec.containers.0.name': 'web',
    'spec.template.spec.containers.0.image': `kiamol/ch09-vweb:${version}`,
    'spec.template.spec.containers.0.ports': [{ name: 'http', containerPort: 80 }],
  };
}

function labService(version: string): Record<string, unknown> {
  return {
    'metadata.name': 'vweb',
    'spec.type': 'LoadBalancer',
    'spec.selector': { app: 'vweb', version },
    'spec.ports': [{ port: 8090, targetPort: 'http' }],
  };
}

function todoDb(image: string, updateStrategy: unknown): Record<string, unknown> {
  return {
    'metadata.name': 'todo-db',
    'spec.replicas': 2,
    'spec.serviceName': 'todo-db',
    'spec.selector': { matchLabels: { app: 'todo-db' } },
    'spec.updateStrategy': updateStrategy,
    'spec.template.spec.initContainers.length': 2,
    'spec.template.spec.initContainers.0.image': 'kiamol/ch03-sleep',
    'spec.template.spec.containers.length': 1,
    'spec.template.spec.containers.0.image': image,
    'spec.template.spec.containers.0.env.0': {
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'todo-db-secret', key: 'POSTGRES_PASSWORD' } },
    },
    'spec.template.spec.containers.0.volumeMounts.0': { name: 'data', mountPath: '/var/lib/postgresql/data' },
    'spec.volumeClaimTemplates.length': 1,
    'spec.volumeClaimTemplates.0.metadata.name': 'data',
    'spec.volumeClaimTemplates.0.spec': {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '50Mi' } },
    },
  };
}

function todoWeb(env: unknown): Record<string, unknown> {
  return {
    'metadata.name': 'todo-web',
    'spec.selector': { matchLabels: { app: 'todo-web' } },
    'spec.template.spec.containers.length': 1,
    'spec.template.spec.containers.0.image': 'kiamol/ch04-todo-list',
    'spec.template.spec.containers.0.env': env,
    'spec.template.spec.containers.0.volumeMounts': [
      { name: 'config', mountPath: '/app/config', readOnly: true },
      { name: 'secret', mountPath: '/app/secrets', readOnly: true },
    ],
    'spec.template.spec.volumes': [
      { name: 'config', configMap: { name: 'todo-web-config' } },
      { name: 'secret', secret: { secretName: 'todo-web-secret' } },
    ],
  };
}

function todoProxy(image: string): Record<string, unknown> {
  return {
    'metadata.name': 'todo-proxy',
    'spec.selector': { matchLabels: { app: 'todo-proxy' } },
    'spec.template.spec.containers.length': 1,
    'spec.template.spec.containers.0.image': image,
    'spec.template.spec.containers.0.volumeMounts': [
      { name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true },
    ],
    'spec.template.spec.volumes': [{ name: 'config', configMap: { name: 'todo-proxy-config' } }],
  };
}

const rows: Row[] = [
  {
    file: 'vweb/vweb-v1.yaml',
    kind: 'Deployment',
    fields: { ...vwebDeployment(2, 'v1', 'v1'), ...noRollingUpdateTuning },
  },
  { file: 'vweb/vweb-service.yaml', kind: 'Service', fields: vwebService },
  { file: 'vweb/update/vweb-v1-scale.yaml', kind: 'Deployment', fields: vwebDeployment(3, 'v1', 'v1') },
  { file: 'vweb/update/vweb-v11.yaml', kind: 'Deployment', fields: vwebDeployment(3, 'v1', 'v1.1') },
  { file: 'vweb/update/vweb-v2.yaml', kind: 'Deployment', fields: vwebDeployment(3, 'v2', 'v2') },
  {
    file: 'vweb/update/vweb-v3-with-configMap.yaml',
    kind: 'ConfigMap',
    fields: { 'metadata.name': 'vweb-config', data: { 'v.txt': 'v3-from-config' } },
  },
  {
    file: 'vweb/update/vweb-v3-with-configMap.yaml',
    kind: 'Deployment',
    fields: vwebFromConfigMap('v3', 'vweb-config'),
  },
  {
    file: 'vweb/update/vweb-configMap-v31.yaml',
    kind: 'ConfigMap',
    fields: { 'metadata.name': 'vweb-config', data: { 'v.txt': 'v3.1' } },
  },
  {
    file: 'vweb/update/vweb-v4-with-configMap.yaml',
    kind: 'ConfigMap',
    fields: { 'metadata.name': 'vweb-config-v4', data: { 'v.txt': 'v4-from-config' } },
  },
  {
    file: 'vweb/update/vweb-v4-with-configMap.yaml',
    kind: 'Deployment',
    fields: vwebFromConfigMap('v4', 'vweb-config-v4'),
  },
  {
    file: 'vweb/update/vweb-v41-with-configMap.yaml',
    kind: 'ConfigMap',
    fields: { 'metadata.name': 'vweb-config-v41', data: { 'v.txt': 'v4.1-from-config' } },
  },
  {
    file: 'vweb/update/vweb-v41-with-configMap.yaml',
    kind: 'Deployment',
    fields: vwebFromConfigMap('v4.1', 'vweb-config-v41'),
  },
  {
    file: 'vweb-strategies/vweb-recreate-v2.yaml',
    kind: 'Deployment',
    fields: { ...vwebDeployment(3, 'v2', 'v2'), 'spec.strategy': { type: 'Recreate' } },
  },
  {
    file: 'vweb-strategies/vweb-recreate-v3.yaml',
    kind: 'Deployment',
    fields: { ...vwebDeployment(3, 'v3', 'v3'), 'spec.strategy': { type: 'Recreate' } },
  },
  {
    file: 'vweb-strategies/vweb-rollingUpdate-v2.yaml',
    kind: 'Deployment',
    fields: {
      ...vwebDeployment(3, 'v2', 'v2'),
      'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      'spec.minReadySeconds': undefined,
      'spec.progressDeadlineSeconds': undefined,
    },
  },
  {
    file: 'vweb-strategies/vweb-rollingUpdate-v3.yaml',
    kind: 'Deployment',
    fields: {
      ...vwebDeployment(3, 'v3', 'v3'),
      'spec.minReadySeconds': 30,
      'spec.progressDeadlineSeconds': 120,
      'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    },
  },
  {
    file: 'vweb-rolling-update/vweb-v1.yaml',
    kind: 'Deployment',
    fields: {
      ...vwebDeployment(4, 'v1', 'v1'),
      'spec.minReadySeconds': 60,
      'spec.progressDeadlineSeconds': undefined,
      'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    },
  },
  { file: 'vweb-rolling-update/vweb-service.yaml', kind: 'Service', fields: vwebService },
  {
    file: 'vweb-rolling-update/v2/vweb-v2.yaml',
    kind: 'Deployment',
    fields: {
      ...vwebDeployment(4, 'v2', 'v2'),
      'spec.minReadySeconds': 60,
      'spec.progressDeadlineSeconds': undefined,
      'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    },
  },
  {
    file: 'todo-list/db/todo-db.yaml',
    kind: 'StatefulSet',
    fields: todoDb('postgres:11.6-alpine', undefined),
  },
  {
    file: 'todo-list/db/todo-db-service.yaml',
    kind: 'Service',
    fields: {
      'metadata.name': 'todo-db',
      'spec.clusterIP': 'None',
      'spec.selector': { app: 'todo-db' },
      'spec.ports.0.port': 5432,
    },
  },
  {
    file: 'todo-list/db/todo-db-secret.yaml',
    kind: 'Secret',
    fields: { 'metadata.name': 'todo-db-secret', 'stringData.POSTGRES_PASSWORD': 'rollout-lab-ch09' },
  },
  {
    file: 'todo-list/db/update/todo-db-rollingUpdate-partition.yaml',
    kind: 'StatefulSet',
    fields: todoDb('postgres:11.8-alpine', { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }),
  },
  {
    file: 'todo-list/db/update/todo-db-rollingUpdate.yaml',
    kind: 'StatefulSet',
    fields: todoDb('postgres:11.8-alpine', { type: 'RollingUpdate' }),
  },
  { file: 'todo-list/web/todo-web.yaml', kind: 'Deployment', fields: todoWeb(undefined) },
  {
    file: 'todo-list/web/todo-web-service.yaml',
    kind: 'Service',
    fields: {
      'metadata.name': 'todo-web',
      'spec.type': undefined,
      'spec.selector': { app: 'todo-web' },
      'spec.ports': [{ name: 'http', port: 80, targetPort: 80 }],
    },
  },
  {
    file: 'todo-list/web/update/todo-web-readonly.yaml',
    kind: 'Deployment',
    fields: todoWeb([{ name: 'Database__ReadOnly', value: 'true' }]),
  },
  {
    file: 'todo-list/proxy/todo-proxy.yaml',
    kind: 'DaemonSet',
    fields: {
      ...todoProxy('nginx:1.17-alpine'),
      'spec.updateStrategy': undefined,
      'spec.minReadySeconds': undefined,
    },
  },
  {
    file: 'todo-list/proxy/todo-proxy-service.yaml',
    kind: 'Service',
    fields: {
      'metadata.name': 'todo-proxy',
      'spec.type': 'LoadBalancer',
      'spec.selector': { app: 'todo-proxy' },
      'spec.ports': [{ name: 'http', port: 8091, targetPort: 80 }],
    },
  },
  {
    file: 'todo-list/proxy/update/nginx-rollingUpdate.yaml',
    kind: 'DaemonSet',
    fields: {
      ...todoProxy('nginx:1.18-alpine'),
      'spec.minReadySeconds': 90,
      'spec.updateStrategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    },
  },
  { file: 'lab/v1/vweb-deployment-v1.yaml', kind: 'Deployment', fields: labDeployment('v1') },
  { file: 'lab/v1/vweb-service-v1.yaml', kind: 'Service', fields: labService('v1') },
  { file: 'lab/solution/vweb-deployment-v2.yaml', kind: 'Deployment', fields: labDeployment('v2') },
  { file: 'lab/solution/vweb-service-v2.yaml', kind: 'Service', fields: labService('v2') },
];

describe.each(rows.map((row) => [`${row.file} ${row.kind}`, row] as const))(
  'exercise map: %s',
  (_title, row) => {
    it.each(Object.entries(row.fields))('%s', (path, expected) => {
      expect(getPath(objectOf(row.file, row.kind), path)).toEqual(expected);
    });
  },
);

describe('the folders the exercises apply', () => {
  function topLevelFiles(folder: string): string[] {
    return allFiles.filter((file) => dirname(file) === folder);
  }

  it('kubectl apply -f vweb/ creates only Deployment vweb (v1) and Service vweb', () => {
    const created = topLevelFiles('vweb').flatMap(documentsOf).map(describeDocument);
    expect(created).toEqual([
      'vweb/vweb-service.yaml #0 Service/vweb',
      'vweb/vweb-v1.yaml #0 Deployment/vweb',
    ]);
  });

  it('kubectl apply -f vweb-rolling-update/ creates the 4-replica Deployment and the Service only', () => {
    const created = topLevelFiles('vweb-rolling-update').flatMap(documentsOf).map(describeDocument);
    expect(created).toEqual([
      'vweb-rolling-update/vweb-service.yaml #0 Service/vweb',
      'vweb-rolling-update/vweb-v1.yaml #0 Deployment/vweb',
    ]);
  });

  // kubectl reads a folder's files in name order; a Pod whose ConfigMap or Secret does not exist
  // yet fails to start until it appears, and the lab's green Pods should exist before the switch.
  it.each([
    ['todo-list/db', ['ConfigMap', 'ConfigMap', 'Secret', 'Service', 'StatefulSet']],
    ['todo-list/web', ['ConfigMap', 'Secret', 'Service', 'Deployment']],
    ['todo-list/proxy', ['ConfigMap', 'Service', 'DaemonSet']],
    ['lab/v1', ['Deployment', 'Service']],
    ['lab/solution', ['Deployment', 'Service']],
  ])('kubectl apply -f %s/ creates %j in that order', (folder, kinds) => {
    expect(
      topLevelFiles(folder)
        .flatMap(documentsOf)
        .map((document) => document.object.kind),
    ).toEqual(kinds);
  });

  it.each([
    'vweb/update/vweb-v3-with-configMap.yaml',
    'vweb/update/vweb-v4-with-configMap.yaml',
    'vweb/update/vweb-v41-with-configMap.yaml',
  ])('%s creates its ConfigMap before the Deployment that mounts it', (file) => {
    expect(documentsOf(file).map((document) => document.object.kind)).toEqual(['ConfigMap', 'Deployment']);
  });
});

describe('references between objects', () => {
  const configMaps = allDocuments.filter((document) => document.object.kind === 'ConfigMap');
  const secrets = allDocuments.filter((document) => document.object.kind === 'Secret');
  const workloads = allDocuments.filter((document) => workloadKinds.has(String(document.object.kind)));

  function keysOf(documents: ManifestDocument[], name: string): string[] {
    const found = documents.find((document) => getPath(document.object, 'metadata.name') === name);
    if (!found) return [];
    return ['data', 'stringData'].flatMap((field) => Object.keys(labelsOf(found.object[field])));
  }

  it.each(workloads.map((document) => [describeDocument(document), document] as const))(
    '%s refers only to ConfigMaps, Secrets and keys the chapter defines',
    (_title, document) => {
      const podSpec = podSpecOf(document.object)!;
      const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes.filter(isObject) : [];
      for (const volume of volumes) {
        const configMapName = getPath(volume, 'configMap.name');
        if (configMapName !== undefined) expect(keysOf(configMaps, String(configMapName))).not.toEqual([]);
        const secretName = getPath(volume, 'secret.secretName');
        if (secretName !== undefined) expect(keysOf(secrets, String(secretName))).not.toEqual([]);
      }
      for (const container of containersOf(podSpec)) {
        for (const env of Array.isArray(container.env) ? container.env.filter(isObject) : []) {
          const secretRef = getPath(env, 'valueFrom.secretKeyRef');
          if (!isObject(secretRef)) continue;
          expect(keysOf(secrets, String(secretRef.name))).toContain(secretRef.key);
        }
      }
    },
  );

  it('mounts the ConfigMap whose data the step expects (v.txt served from the web root)', () => {
    for (const name of ['vweb-config', 'vweb-config-v4', 'vweb-config-v41']) {
      expect(keysOf(configMaps, name)).toEqual(['v.txt']);
    }
  });

  const services = allDocuments.filter((document) => document.object.kind === 'Service');
  it.each(services.map((document) => [describeDocument(document), document] as const))(
    '%s selects Pods of a workload in its folder that expose its target port',
    (_title, service) => {
      const selector = labelsOf(getPath(service.object, 'spec.selector'));
      const folder = dirname(service.file);
      const selected = workloads.filter((workload) => {
        if (dirname(workload.file) !== folder) return false;
        const labels = labelsOf(getPath(workload.object, 'spec.template.metadata.labels'));
        return Object.entries(selector).every(([key, value]) => labels[key] === value);
      });
      expect(selected.length).toBeGreaterThan(0);
      const ports = Array.isArray(getPath(service.object, 'spec.ports'))
        ? (getPath(service.object, 'spec.ports') as unknown[]).filter(isObject)
        : [];
      for (const workload of selected) {
        const containerPorts = (getPath(workload.object, 'spec.template.spec.containers.0.ports') ??
          []) as JsonObject[];
        for (const port of ports) {
          const target = port.targetPort;
          const matches =
            typeof target === 'string'
              ? containerPorts.some((containerPort) => containerPort.name === target)
              : containerPorts.some((containerPort) => containerPort.containerPort === target);
          expect(matches).toBe(true);
        }
      }
    },
  );
});

describe('updates that kubectl apply sends to an existing object', () => {
  // These fields cannot change once the object exists, so every file that applies the same
  // object must agree on them, or kubectl apply fails with "field is immutable".
  const immutableFields: Record<string, string[]> = {
    Deployment: ['spec.selector'],
    DaemonSet: ['spec.selector'],
    StatefulSet: [
      'spec.selector',
      'spec.serviceName',
      'spec.volumeClaimTemplates',
      'spec.podManagementPolicy',
    ],
  };
  const groups = new Map<string, ManifestDocument[]>();
  for (const document of allDocuments) {
    if (!immutableFields[String(document.object.kind)]) continue;
    const key = `${String(document.object.kind)}/${String(getPath(document.object, 'metadata.name'))}`;
    groups.set(key, [...(groups.get(key) ?? []), document]);
  }

  it.each([...groups.entries()])('every file applying %s keeps its immutable fields', (key, documents) => {
    const fields = immutableFields[key.split('/')[0]!]!;
    const first = documents[0]!;
    for (const document of documents.slice(1)) {
      for (const field of fields) {
        expect(getPath(document.object, field), `${document.file} ${field}`).toEqual(
          getPath(first.object, field),
        );
      }
    }
  });

  // An update file repeats the whole object; only the fields the step is about may differ.
  it.each([
    [
      'todo-list/db/update/todo-db-rollingUpdate-partition.yaml',
      'todo-list/db/todo-db.yaml',
      ['spec.updateStrategy', 'spec.template.spec.containers.0.image'],
    ],
    [
      'todo-list/db/update/todo-db-rollingUpdate.yaml',
      'todo-list/db/todo-db.yaml',
      ['spec.updateStrategy', 'spec.template.spec.containers.0.image'],
    ],
    [
      'todo-list/web/update/todo-web-readonly.yaml',
      'todo-list/web/todo-web.yaml',
      ['spec.template.spec.containers.0.env'],
    ],
    [
      'todo-list/proxy/update/nginx-rollingUpdate.yaml',
      'todo-list/proxy/todo-proxy.yaml',
      ['spec.updateStrategy', 'spec.minReadySeconds', 'spec.template.spec.containers.0.image'],
    ],
    ['vweb/update/vweb-v1-scale.yaml', 'vweb/vweb-v1.yaml', ['spec.replicas']],
    [
      'vweb-rolling-update/v2/vweb-v2.yaml',
      'vweb-rolling-update/vweb-v1.yaml',
      ['spec.template.metadata.labels.version', 'spec.template.spec.containers.0.image'],
    ],
  ])('%s differs from %s only in %j', (updateFile, baseFile, changed) => {
    const kind = String(documentsOf(baseFile).at(-1)!.object.kind);
    const update = objectOf(updateFile, kind);
    const base = objectOf(baseFile, kind);
    expect(omitPaths(update, changed)).toEqual(omitPaths(base, changed));
    expect(
      changed.some((path) => JSON.stringify(getPath(update, path)) !== JSON.stringify(getPath(base, path))),
    ).toBe(true);
  });
});
