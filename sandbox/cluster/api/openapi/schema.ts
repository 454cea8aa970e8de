/**
 * The schema of every kind the embedded API server serves, derived at run time from the model
 * metadata that `@kubernetes/client-node` generates from the upstream OpenAPI spec: each model
 * class carries a static `attributeTypeMap` (JSON name, TypeScript type, format). Walking those maps
 * from the served kinds gives every field of every nested type, so a valid manifest is never
 * rejected for a field we forgot to list.
 *
 * What that metadata cannot say is added here by hand, and only that: the strategic-merge-patch
 * keys and strategies, which string fields are `resource.Quantity` (they accept numbers too), the
 * two `any` fields, and the Kubernetes package of each type (for upstream-style names such as
 * `io.k8s.api.apps.v1.Deployment`). Descriptions and required-ness come from the package's `.d.ts`
 * doc comments when they can be read.
 *
 * Everything is built once, on first use, and cached.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// The models alone: the package root also loads its HTTP client (undici, fetch shims), which costs
// about 0.6 s of start-up that the control plane does not need.
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';
import { ALL_RESOURCES, type ResourceType } from '../resources.ts';

/** A group, version and kind; `group` is '' for the core group. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The type of a field, in the vocabulary of OpenAPI plus `ref` to another definition. */
export type SchemaType =
  | { type: 'string'; format?: 'byte' }
  | { type: 'integer'; format: 'int32' | 'int64' }
  | { type: 'number'; format: 'double' }
  | { type: 'boolean' }
  | { type: 'array'; items: SchemaType }
  | { type: 'map'; values: SchemaType }
  | { type: 'ref'; name: string }
  | { type: 'any' };

/** One field of an object definition. */
export interface FieldSchema {
  /** The JSON name. */
  name: string;
  type: SchemaType;
  description?: string;
  required: boolean;
  /** `x-kubernetes-patch-merge-key`: lists of objects merged by this key in a strategic merge patch. */
  patchMergeKey?: string;
  /** `x-kubernetes-patch-strategy`: `merge`, `retainKeys` or `merge,retainKeys`. */
  patchStrategy?: string;
}

/**
 * How a definition's values look on the wire. Only `object` has fields; the others are the
 * apimachinery scalar types with their own JSON forms.
 */
export type DefinitionShape = 'object' | 'intOrString' | 'quantity' | 'time' | 'microTime' | 'opaque';

/** A named schema, as `definitions` (v2) or `components.schemas` (v3) list it. */
export interface Definition {
  /** Upstream name: `io.k8s.api.apps.v1.DeploymentSpec`. */
  name: string;
  /** The Go type name: `DeploymentSpec`. */
  shortName: string;
  /** The Go type as Go prints it in decode errors: `v1.DeploymentSpec`. */
  goType: string;
  /** The client-node model class it was derived from, if any. */
  modelClass?: string;
  shape: DefinitionShape;
  description?: string;
  /** Fields in the model's order; empty unless shape is `object`. */
  fields: ReadonlyMap<string, FieldSchema>;
  /** Set on top-level kinds: `x-kubernetes-group-version-kind`. */
  gvk?: GroupVersionKind[];
}

/** What `describeField` finds at a path. */
export interface FieldDescription {
  /** The field path as given, split into field names. */
  path: string[];
  /** The declared type of the field. */
  type: SchemaType;
  /** The object definition of the value, or of each list element / map value. */
  definition?: Definition;
  patchMergeKey?: string;
  patchStrategy?: string;
  description?: string;
  required: boolean;
}

/** A definition was asked for that the schema does not have: a bug in the caller or a new client-node. */
export class SchemaLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaLookupError';
  }
}

interface AttributeType {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  attributeTypeMap: AttributeType[];
}

/** The Go package each API group's v1 types live in, as upstream names definitions. */
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const PACKAGE_OF_GROUP: Readonly<Record<string, string>> = {
  '': 'io.k8s.api.core.v1',
  apps: 'io.k8s.api.apps.v1',
  'rbac.authorization.k8s.io': 'io.k8s.api.rbac.v1',
  'events.k8s.io': 'io.k8s.api.events.v1',
  'authentication.k8s.io': 'io.k8s.api.authentication.v1',
  'authorization.k8s.io': 'io.k8s.api.authorization.v1',
  autoscaling: 'io.k8s.api.autoscaling.v1',
  policy: 'io.k8s.api.policy.v1',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
};

/** Upstream names of the apimachinery scalar types. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const PATCH = `${META}.Patch`;

/**
 * Models that live in apimachinery's meta/v1 package although client-node names them like any
 * other `V1` model. Every other model is placed in the group of the first served kind that reaches it.
 */
const META_MODELS = new Set([
  'V1ObjectMeta',
  'V1ListMeta',
  'V1LabelSelector',
  'V1LabelSelectorRequirement',
  'V1OwnerReference',
  'V1ManagedFieldsEntry',
  'V1Status',
  'V1StatusDetails',
  'V1StatusCause',
  'V1DeleteOptions',
  'V1Preconditions',
  'V1Condition',
  'V1FieldSelectorRequirement',
]);

/**
 * Kinds that are not served as resources but must be named with their own group: PodTemplate
 * claims PodTemplateSpec for core before apps/v1 Deployment reaches it.
 */
const EXTRA_CLASSIFICATION_ROOTS: readonly GroupVersionKind[] = [
  { group: '', version: 'v1', kind: 'PodTemplate' },
];

/** Kinds with a GVK that are not resources of their own (subresource bodies and meta kinds). */
const EXTRA_KINDS: readonly GroupVersionKind[] = [
  { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
  { group: '', version: 'v1', kind: 'Binding' },
  { group: 'policy', version: 'v1', kind: 'Eviction' },
  { group: '', version: 'v1', kind: 'Status' },
];

/** Fields whose Go type is `resource.Quantity` (a map of them for ResourceList fields). */
const QUANTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1PodSpec: ['overhead'],
  V1PodStatus: ['allocatedResources'],
  V1ContainerStatus: ['allocatedResources'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V1NodeStatus: ['allocatable', 'capacity'],
  V1NodeAllocatableResourceClaimStatus: ['resources'],
  V1PersistentVolumeSpec: ['capacity'],
  V1PersistentVolumeClaimStatus: ['capacity', 'allocatedResources'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceFieldSelector: ['divisor'],
};

/** The two `any` fields of the served kinds and the apimachinery type each one really is. */
const ANY_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  V1ManagedFieldsEntry: { fieldsV1: FIELDS_V1 },
  V1ControllerRevision: { data: RAW_EXTENSION },
};

interface PatchRule {
  model: string;
  field: string;
  mergeKey?: string;
  strategy: string;
}

/**
 * The struct tags `patchStrategy`/`patchMergeKey` of the upstream Go types, which the generated
 * client drops. Strategic merge patch (kubectl apply, set image, rollout undo) merges these lists
 * element by element instead of replacing them.
 */
const PATCH_RULES: readonly PatchRule[] = [
  ...['V1Container', 'V1EphemeralContainer'].flatMap((model) => [
    { model, field: 'ports', mergeKey: 'containerPort', strategy: 'merge' },
    { model, field: 'env', mergeKey: 'name', strategy: 'merge' },
    { model, field: 'volumeMounts', mergeKey: 'mountPath', strategy: 'merge' },
    { model, field: 'volumeDevices', mergeKey: 'devicePath', strategy: 'merge' },
  ]),
  { model: 'V1PodSpec', field: 'volumes', mergeKey: 'name', strategy: 'merge,retainKeys' },
  { model: 'V1PodSpec', field: 'initContainers', mergeKey: 'name', strategy: 'merge' },
  { model: 'V1PodSpec', field: 'containers', mergeKey: 'name', strategy: 'merge' },
  { model: 'V1PodSpec', field: 'ephemeralContainers', mergeKey: 'name', strategy: 'merge' },
  { model: 'V1PodSpec', field: 'imagePullSecrets', mergeKey: 'name', strategy: 'merge' },
  { model: 'V1PodSpec', field: 'hostAliases', mergeKey: 'ip', strategy: 'merge' },
  { model: 'V1PodSpec', field: 'topologySpreadConstraints', mergeKey: 'topologyKey', strategy: 'merge' },
  { model: 'V1PodSpec', field: 'resourceClaims', mergeKey: 'name', strategy: 'merge,retainKeys' },
  { model: 'V1PodSpec', field: 'schedulingGates', mergeKey: 'name', strategy: 'merge' },
  { model: 'V1PodStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1PodStatus', field: 'podIPs', mergeKey: 'ip', strategy: 'merge' },
  { model: 'V1PodStatus', field: 'hostIPs', mergeKey: 'ip', strategy: 'merge' },
  { model: 'V1PodStatus', field: 'resourceClaimStatuses', mergeKey: 'name', strategy: 'merge,retainKeys' },
  { model: 'V1ServiceSpec', field: 'ports', mergeKey: 'port', strategy: 'merge' },
  { model: 'V1ServiceStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1NodeSpec', field: 'podCIDRs', strategy: 'merge' },
  { model: 'V1NodeStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1NodeStatus', field: 'addresses', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1NamespaceStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1PersistentVolumeClaimStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1ServiceAccount', field: 'secrets', mergeKey: 'name', strategy: 'merge' },
  { model: 'V1ObjectMeta', field: 'ownerReferences', mergeKey: 'uid', strategy: 'merge' },
  { model: 'V1ObjectMeta', field: 'finalizers', strategy: 'merge' },
  { model: 'V1DeploymentSpec', field: 'strategy', strategy: 'retainKeys' },
  { model: 'V1DeploymentStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1ReplicaSetStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1DaemonSetStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
  { model: 'V1StatefulSetStatus', field: 'conditions', mergeKey: 'type', strategy: 'merge' },
];

/** Descriptions of the apimachinery scalar types (our wording). */
const SCALAR_DEFINITIONS: readonly {
  name: string;
  shape: DefinitionShape;
  goType: string;
  description: string;
}[] = [
  {
    name: INT_OR_STRING,
    shape: 'intOrString',
    goType: 'intstr.IntOrString',
    description:
      'IntOrString holds either a whole number or a string, as written: `maxUnavailable: 1` or `maxUnavailable: 25%`, `targetPort: 8080` or `targetPort: http`.',
  },
  {
    name: QUANTITY,
    shape: 'quantity',
    goType: 'resource.Quantity',
    description:
      'Quantity is a fixed-point number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal SI (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3). `500m` CPU is half a core; `128Mi` memory is 134217728 bytes. JSON may carry it as a string or a number.',
  },
  {
    name: TIME,
    shape: 'time',
    goType: 'v1.Time',
    description: 'Time is a timestamp in RFC 3339 form with seconds precision, e.g. 2024-05-01T10:00:00Z.',
  },
  {
    name: MICRO_TIME,
    shape: 'microTime',
    goType: 'v1.MicroTime',
    description:
      'MicroTime is a timestamp in RFC 3339 form with microseconds, e.g. 2024-05-01T10:00:00.123456Z.',
  },
  {
    name: FIELDS_V1,
    shape: 'opaque',
    goType: 'v1.FieldsV1',
    description:
      'FieldsV1 is the set of fields a manager owns, in the JSON trie form server-side apply writes.',
  },
  {
    name: RAW_EXTENSION,
    shape: 'opaque',
    goType: 'runtime.RawExtension',
    description: 'RawExtension is an embedded object of any kind, kept as the JSON it was sent as.',
  },
  {
    name: PATCH,
    shape: 'opaque',
    goType: 'v1.Patch',
    description:
      'Patch is the body of a PATCH request: a JSON patch, a merge patch, a strategic merge patch or an apply configuration, as the Content-Type says.',
  },
];

interface SchemaRegistry {
  definitions: Map<string, Definition>;
  byModelClass: Map<string, Definition>;
  byGvk: Map<string, Definition>;
}

let registry: SchemaRegistry | undefined;

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

function modelClassOf(name: string): ModelClass | undefined {
  const candidate = (models as unknown as Record<string, unknown>)[name];
  if (typeof candidate !== 'function') return undefined;
  const map = (candidate as unknown as { attributeTypeMap?: unknown }).attributeTypeMap;
  return Array.isArray(map) ? (candidate as unknown as ModelClass) : undefined;
}

/** `rbac.authorization.k8s.io` → `Rbac`, '' → `Core`: the prefix client-node puts on clashing names. */
function groupPrefix(group: string): string {
  const first = group === '' ? 'core' : (group.split('.')[0] ?? group);
  return first.charAt(0).toUpperCase() + first.slice(1);
}

/**
 * The client-node model class of a kind. Where two groups share a kind name the generator prefixes
 * the group (`CoreV1Event`, `EventsV1Event`); otherwise the name is `V1Deployment`.
 */
export function findModelClassName(gvk: GroupVersionKind): string | undefined {
  const version = gvk.version.charAt(0).toUpperCase() + gvk.version.slice(1);
  for (const name of [`${groupPrefix(gvk.group)}${version}${gvk.kind}`, `${version}${gvk.kind}`]) {
    if (modelClassOf(name)) return name;
  }
  return undefined;
}

/** `AuthenticationV1TokenRequest` → `TokenRequest`, `V1HTTPGetAction` → `HTTPGetAction`. */
function stripVersionPrefix(className: string): string {
  return className.replace(/^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
}

/** Peels `Array<...>` and `{ [key: string]: ...; }` to the element type name. */
function innermostTypeName(type: string): string {
  let current = type;
  for (;;) {
    const wrapped = /^Array<(.+)>$/.exec(current) ?? /^\{ \[key: string\]: (.+); \}$/.exec(current);
    if (!wrapped?.[1]) return current;
    current = wrapped[1];
  }
}

function referencedModels(className: string): string[] {
  const model = modelClassOf(className);
  if (!model) return [];
  const found: string[] = [];
  for (const attribute of model.attributeTypeMap) {
    const inner = innermostTypeName(attribute.type);
    if (modelClassOf(inner)) found.push(inner);
  }
  return found;
}

/** Assigns every model reachable from the served kinds to the Go package upstream defines it in. */
function classifyModels(roots: readonly GroupVersionKind[]): Map<string, string> {
  const packageOf = new Map<string, string>();
  // Types that only meta types reach (ListMeta's ShardInfo) live in meta/v1 too.
  const metaQueue = [...META_MODELS];
  while (metaQueue.length > 0) {
    const name = metaQueue.pop()!;
    if (packageOf.has(name)) continue;
    packageOf.set(name, META);
    metaQueue.push(...referencedModels(name));
  }
  const groupsInOrder = [...new Set(['', ...roots.map((root) => root.group)])];
  for (const group of groupsInOrder) {
    const pkg = PACKAGE_OF_GROUP[group];
    if (!pkg) throw new SchemaLookupError(`no Go package known for API group "${group}"`);
    const queue = roots
      .filter((root) => root.group === group)
      .map((root) => findModelClassName(root))
      .filter((name): name is string => name !== undefined)
      .flatMap((name) => [name, `${name}List`].filter((candidate) => modelClassOf(candidate)));
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (packageOf.has(name)) continue;
      packageOf.set(name, pkg);
      queue.push(...referencedModels(name));
    }
  }
  return packageOf;
}

interface ModelDocs {
  description?: string;
  fields: Map<string, { description?: string; required: boolean }>;
}

let modelsDirectory: string | null | undefined;

function findModelsDirectory(): string | null {
  if (modelsDirectory !== undefined) return modelsDirectory;
  try {
    const require = createRequire(import.meta.url);
    modelsDirectory = dirname(require.resolve('@kubernetes/client-node/dist/gen/models/all.js'));
  } catch {
    modelsDirectory = null;
  }
  return modelsDirectory;
}

function cleanDocComment(body: string): string {
  return body
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
    .replace(/\\"/g, '"');
}

/**
 * Reads the doc comments of a model's `.d.ts`: the class description, each field's description and
 * whether it is optional (`'image'?: string`). Missing files give no docs rather than an error.
 */
function readModelDocs(className: string): ModelDocs {
  const docs: ModelDocs = { fields: new Map() };
  const directory = findModelsDirectory();
  if (!directory) return docs;
  let text: string;
  try {
    text = readFileSync(join(directory, `${className}.d.ts`), 'utf8');
  } catch {
    return docs;
  }
  const classMatch = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text);
  if (classMatch?.[1]) docs.description = cleanDocComment(classMatch[1]);
  const fieldPattern = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?\n\s*'([^']+)'(\?)?:/g;
  for (const match of text.matchAll(fieldPattern)) {
    const name = match[2];
    if (!name) continue;
    const description = match[1] ? cleanDocComment(match[1]) : undefined;
    docs.fields.set(name, { description, required: match[3] !== '?' });
  }
  return docs;
}

function toSchemaType(
  className: string,
  attribute: AttributeType,
  typeText: string,
  definitionNameOf: (className: string) => string,
): SchemaType {
  const array = /^Array<(.+)>$/.exec(typeText);
  if (array?.[1])
    return { type: 'array', items: toSchemaType(className, attribute, array[1], definitionNameOf) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeText);
  if (map?.[1]) return { type: 'map', values: toSchemaType(className, attribute, map[1], definitionNameOf) };
  if (QUANTITY_FIELDS[className]?.includes(attribute.baseName)) return { type: 'ref', name: QUANTITY };
  switch (attribute.format) {
    case 'int-or-string':
      return { type: 'ref', name: INT_OR_STRING };
    case 'date-time':
      return { type: 'ref', name: TIME };
    case 'date-time-micro':
      return { type: 'ref', name: MICRO_TIME };
  }
  switch (typeText) {
    case 'string':
      return attribute.format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      if (attribute.format === 'int32' || attribute.format === 'int64')
        return { type: 'integer', format: attribute.format };
      return { type: 'number', format: 'double' };
    case 'Date':
      return { type: 'ref', name: TIME };
    case 'IntOrString':
      return { type: 'ref', name: INT_OR_STRING };
    case 'any': {
      const real = ANY_FIELDS[className]?.[attribute.baseName];
      return real ? { type: 'ref', name: real } : { type: 'any' };
    }
  }
  if (modelClassOf(typeText)) return { type: 'ref', name: definitionNameOf(typeText) };
  throw new SchemaLookupError(`${className}.${attribute.baseName}: unknown client-node type "${typeText}"`);
}

function applyPatchRules(definitions: Map<string, Definition>, byModelClass: Map<string, Definition>): void {
  for (const rule of PATCH_RULES) {
    const definition = byModelClass.get(rule.model);
    const field = definition?.fields.get(rule.field);
    // A rule that matches nothing means client-node renamed or dropped a field: fail loudly in tests.
    if (!definition || !field)
      throw new SchemaLookupError(`patch rule for ${rule.model}.${rule.field} matches no field`);
    const patched: FieldSchema = { ...field, patchStrategy: rule.strategy };
    if (rule.mergeKey) patched.patchMergeKey = rule.mergeKey;
    (definition.fields as Map<string, FieldSchema>).set(rule.field, patched);
    definitions.set(definition.name, definition);
  }
}

function servedAndExtraKinds(): GroupVersionKind[] {
  const kinds: GroupVersionKind[] = ALL_RESOURCES.map((r: ResourceType) => ({
    group: r.group,
    version: r.version,
    kind: r.kind,
  }));
  return [...kinds, ...EXTRA_KINDS];
}

/** The group-versions whose DeleteOptions kind upstream lists on the meta definition. */
function deleteOptionsKinds(kinds: readonly GroupVersionKind[]): GroupVersionKind[] {
  const seen = new Map<string, GroupVersionKind>();
  for (const k of kinds)
    seen.set(`${k.group}/${k.version}`, { group: k.group, version: k.version, kind: 'DeleteOptions' });
  return [...seen.values()];
}

function buildRegistry(): SchemaRegistry {
  const kinds = servedAndExtraKinds();
  const packageOf = classifyModels([...kinds, ...EXTRA_CLASSIFICATION_ROOTS]);
  const definitionNameOf = (className: string): string => {
    const pkg = packageOf.get(className);
    if (!pkg) throw new SchemaLookupError(`model ${className} is not reachable from any served kind`);
    return `${pkg}.${stripVersionPrefix(className)}`;
  };

  const definitions = new Map<string, Definition>();
  const byModelClass = new Map<string, Definition>();
  for (const scalar of SCALAR_DEFINITIONS) {
    definitions.set(scalar.name, {
      name: scalar.name,
      shortName: scalar.name.slice(scalar.name.lastIndexOf('.') + 1),
      goType: scalar.goType,
      shape: scalar.shape,
      description: scalar.description,
      fields: new Map(),
    });
  }

  for (const className of [...packageOf.keys()].sort()) {
    const model = modelClassOf(className);
    if (!model) continue;
    const docs = readModelDocs(className);
    const fields = new Map<string, FieldSchema>();
    for (const attribute of model.attributeTypeMap) {
      const doc = docs.fields.get(attribute.name);
      const field: FieldSchema = {
        name: attribute.baseName,
        type: toSchemaType(className, attribute, attribute.type, definitionNameOf),
        required: doc?.required ?? false,
      };
      // For IntOrString fields the generator repeats the type's own text; the type's definition says it once.
      if (
        doc?.description &&
        !(attribute.type === 'IntOrString' && doc.description.startsWith('IntOrString is a type'))
      ) {
        field.description = doc.description;
      }
      fields.set(attribute.baseName, field);
    }
    const shortName = stripVersionPrefix(className);
    const definition: Definition = {
      name: definitionNameOf(className),
      shortName,
      goType: `v1.${shortName}`,
      modelClass: className,
      shape: 'object',
      fields,
    };
    if (docs.description) definition.description = docs.description;
    definitions.set(definition.name, definition);
    byModelClass.set(className, definition);
  }

  const byGvk = new Map<string, Definition>();
  const tag = (definition: Definition | undefined, gvks: GroupVersionKind[]): void => {
    if (!definition) return;
    definition.gvk = [...(definition.gvk ?? []), ...gvks];
    for (const gvk of gvks) byGvk.set(gvkKey(gvk), definition);
  };
  for (const kind of kinds) {
    const className = findModelClassName(kind);
    if (!className) throw new SchemaLookupError(`client-node has no model for ${gvkKey(kind)}`);
    tag(byModelClass.get(className), [kind]);
    tag(byModelClass.get(`${className}List`), [{ ...kind, kind: `${kind.kind}List` }]);
  }
  tag(byModelClass.get('V1DeleteOptions'), deleteOptionsKinds(kinds));

  applyPatchRules(definitions, byModelClass);
  return { definitions, byModelClass, byGvk };
}

function getRegistry(): SchemaRegistry {
  registry ??= buildRegistry();
  return registry;
}

/** Every definition, keyed by upstream name. Built on first call, then cached. */
export function listDefinitions(): ReadonlyMap<string, Definition> {
  return getRegistry().definitions;
}

/** The definition of an upstream name such as `io.k8s.api.core.v1.Container`. */
export function getDefinition(name: string): Definition | undefined {
  return getRegistry().definitions.get(name);
}

/** The definition derived from a client-node model class such as `V1Container`. */
export function getDefinitionOfModel(className: string): Definition | undefined {
  return getRegistry().byModelClass.get(className);
}

/** The definition of a top-level kind (or its List), e.g. `getKindSchema('apps', 'v1', 'Deployment')`. */
export function getKindSchema(group: string, version: string, kind: string): Definition | undefined {
  return getRegistry().byGvk.get(gvkKey({ group, version, kind }));
}

/** The `kind` string form accepted by describeField: the core group wins over events.k8s.io for `Event`. */
function resolveKind(kind: GroupVersionKind | string): Definition | undefined {
  if (typeof kind !== 'string') return getKindSchema(kind.group, kind.version, kind.kind);
  const { byGvk } = getRegistry();
  for (const gvk of servedAndExtraKinds()) {
    if (gvk.kind === kind) return byGvk.get(gvkKey(gvk));
  }
  return undefined;
}

/** Splits `spec.template.spec.containers[0].ports` into field names; list indexes are skipped. */
export function splitFieldPath(path: string | readonly string[]): string[] {
  const parts = typeof path === 'string' ? path.split('.') : [...path];
  return parts
    .flatMap((part) => part.replace(/\[[^\]]*\]/g, ' ').split(' '))
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * The object definition a type leads to, through lists and maps: `[]Container` → Container.
 * Scalar definitions (IntOrString, Quantity, Time) have no fields and give undefined.
 */
export function elementDefinition(type: SchemaType): Definition | undefined {
  if (type.type === 'array') return elementDefinition(type.items);
  if (type.type === 'map') return elementDefinition(type.values);
  if (type.type !== 'ref') return undefined;
  const definition = getDefinition(type.name);
  return definition?.shape === 'object' ? definition : undefined;
}

/**
 * The field at a dotted path of a kind: its type, merge key and strategy. Lists are stepped through
 * implicitly, as `kubectl explain` does: `spec.template.spec.containers.ports` names the ports of
 * each container. Returns undefined when the path leaves the schema.
 *
 * `describeField('Deployment', 'spec.template.spec.containers')` → merge key `name`, strategy `merge`.
 */
export function describeField(
  kind: GroupVersionKind | string,
  path: string | readonly string[],
): FieldDescription | undefined {
  const root = resolveKind(kind);
  if (!root) return undefined;
  const names = splitFieldPath(path);
  let current: Definition | undefined = root;
  let found: FieldSchema | undefined;
  for (const name of names) {
    const field: FieldSchema | undefined = current?.fields.get(name);
    if (!field) return undefined;
    found = field;
    current = elementDefinition(field.type);
  }
  if (!found) {
    return { path: names, type: { type: 'ref', name: root.name }, definition: root, required: true };
  }
  const description: FieldDescription = { path: names, type: found.type, required: found.required };
  const definition = elementDefinition(found.type);
  if (definition) description.definition = definition;
  if (found.patchMergeKey) description.patchMergeKey = found.patchMergeKey;
  if (found.patchStrategy) description.patchStrategy = found.patchStrategy;
  if (found.description) description.description = found.description;
  return description;
}

/**
 * The definitions a set of roots needs, roots included, in a stable order: what a group-version
 * document must carry for its `$ref`s to resolve.
 */
export function collectDefinitions(rootNames: Iterable<string>): Definition[] {
  const { definitions } = getRegistry();
  const seen = new Set<string>();
  const queue = [...rootNames];
  const refsOf = (type: SchemaType): string[] => {
    if (type.type === 'array') return refsOf(type.items);
    if (type.type === 'map') return refsOf(type.values);
    return type.type === 'ref' ? [type.name] : [];
  };
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    const definition = definitions.get(name);
    if (!definition) throw new SchemaLookupError(`no definition named ${name}`);
    seen.add(name);
    for (const field of definition.fields.values()) queue.push(...refsOf(field.type));
  }
  return [...seen].sort().map((name) => definitions.get(name)!);
}

/** Every served or extra kind with a schema, in the resources table's order. */
export function listKinds(): GroupVersionKind[] {
  return servedAndExtraKinds();
}
