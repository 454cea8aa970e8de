/**
 * The REST operations of every served resource, in one neutral form that the OpenAPI v2 and v3
 * renderers both read. kubectl looks at two things here: the PATCH operation of a kind must carry
 * `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter (then kubectl leaves
 * unknown-field checks to the server and sends `?fieldValidation=Strict`), and `kubectl explain`
 * finds a resource's kind from the GET operation at its list or item path.
 */
import { ALL_RESOURCES, type ResourceType, type SubresourceType, type Verb } from '../resources.ts';
import {
  findModelClassName,
  type GroupVersionKind,
  getDefinitionOfModel,
  getKindSchema,
  PATCH,
} from './schema.ts';

/** The Kubernetes version the documents describe; kubectl only displays it. */
export const OPENAPI_INFO_VERSION = 'v1.32.0';

/** HTTP methods as OpenAPI names them. */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** `x-kubernetes-action`: what the operation does in API server terms. */
export type KubernetesAction = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

/** A query or path parameter. */
export interface ParameterSpec {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
}

/** One operation on one path. Body and response name definitions by their upstream name. */
export interface OperationSpec {
  method: HttpMethod;
  operationId: string;
  description: string;
  tag: string;
  action: KubernetesAction;
  gvk: GroupVersionKind;
  parameters: ParameterSpec[];
  /** The request body's definition; `consumes` lists the media types it may arrive as. */
  body?: { definition: string; consumes: string[] };
  /** Response codes with the returned definition. */
  responses: { code: string; description: string; definition?: string }[];
}

/** A path with its operations and the parameters shared by all of them. */
export interface PathSpec {
  path: string;
  parameters: ParameterSpec[];
  operations: OperationSpec[];
}

/** A group-version as the OpenAPI v3 index names it: `api/v1`, `apis/apps/v1`. */
export interface GroupVersionSpec {
  group: string;
  version: string;
  /** `api/v1` or `apis/apps/v1`. */
  indexPath: string;
  paths: PathSpec[];
}

const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

const PRETTY: ParameterSpec = {
  name: 'pretty',
  in: 'query',
  type: 'string',
  description: "If 'true', then the output is pretty printed.",
};
const NAMESPACE: ParameterSpec = {
  name: 'namespace',
  in: 'path',
  type: 'string',
  required: true,
  description: 'object name and auth scope, such as for teams and projects',
};
const DRY_RUN: ParameterSpec = {
  name: 'dryRun',
  in: 'query',
  type: 'string',
  description: 'When present (only "All" is valid), the request is checked but nothing is stored.',
};
const FIELD_MANAGER: ParameterSpec = {
  name: 'fieldManager',
  in: 'query',
  type: 'string',
  description: 'The name of the actor making these changes, recorded in managedFields.',
};
/** The parameter whose presence tells kubectl that the server checks fields itself. */
export const FIELD_VALIDATION: ParameterSpec = {
  name: 'fieldValidation',
  in: 'query',
  type: 'string',
  description:
    'What the server does with unknown or duplicated fields in the body: Ignore drops them, Warn (the default) drops them and answers with a Warning header per field, Strict fails the request with 400 BadRequest.',
};
const FORCE: ParameterSpec = {
  name: 'force',
  in: 'query',
  type: 'boolean',
  description: 'Server-side apply only: take ownership of fields that other managers own.',
};
const LIST_PARAMETERS: ParameterSpec[] = [
  {
    name: 'labelSelector',
    in: 'query',
    type: 'string',
    description: 'Only objects whose labels match this selector.',
  },
  {
    name: 'fieldSelector',
    in: 'query',
    type: 'string',
    description: 'Only objects whose fields match this selector.',
  },
  { name: 'limit', in: 'query', type: 'integer', description: 'The most objects to return in one chunk.' },
  {
    name: 'continue',
    in: 'query',
    type: 'string',
    description: 'The token of the next chunk, from a previous list.',
  },
  {
    name: 'resourceVersion',
    in: 'query',
    type: 'string',
    description: 'The resource version to list or watch from.',
  },
  { name: 'watch', in: 'query', type: 'boolean', description: 'Stream changes instead of listing.' },
  {
    name: 'timeoutSeconds',
    in: 'query',
    type: 'integer',
    description: 'How long a list or watch call may last.',
  },
];

/** `rbac.authorization.k8s.io` → `RbacAuthorization`, '' → `Core`. */
function groupCamel(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function apiPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** `api/v1` or `apis/apps/v1`: the key of a group-version in the v3 index. */
export function groupVersionIndexPath(group: string, version: string): string {
  return apiPrefix(group, version).slice(1);
}

function definitionNameOfKind(gvk: GroupVersionKind): string | undefined {
  return getKindSchema(gvk.group, gvk.version, gvk.kind)?.name;
}

interface OperationContext {
  resource: ResourceType;
  /** The kind the body and response carry: the resource's, or a subresource's (Scale). */
  gvk: GroupVersionKind;
  /** `AppsV1NamespacedDeployment`: the operation id after its verb. */
  idStem: string;
  /** `AppsV1Deployment`: the stem of the list across all namespaces. */
  allNamespacesStem: string;
  tag: string;
  subject: string;
}

function writeParameters(method: HttpMethod): ParameterSpec[] {
  const base = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  return method === 'patch' ? [...base, FORCE] : base;
}

function buildOperation(
  context: OperationContext,
  verb: 'read' | 'list' | 'listForAll' | 'create' | 'replace' | 'patch' | 'delete' | 'deletecollection',
): OperationSpec {
  const objectDefinition = definitionNameOfKind(context.gvk);
  if (!objectDefinition)
    throw new Error(`no schema for ${context.gvk.group}/${context.gvk.version} ${context.gvk.kind}`);
  const listDefinition = definitionNameOfKind({ ...context.gvk, kind: `${context.gvk.kind}List` });
  const ok = (definition?: string) => ({ code: '200', description: 'OK', definition });
  const common = { tag: context.tag, gvk: context.gvk };
  switch (verb) {
    case 'read':
      return {
        ...common,
        method: 'get',
        action: 'get',
        operationId: `read${context.idStem}`,
        description: `read the specified ${context.subject}`,
        parameters: [],
        responses: [ok(objectDefinition)],
      };
    case 'list':
    case 'listForAll':
      return {
        ...common,
        method: 'get',
        action: 'list',
        operationId:
          verb === 'list' ? `list${context.idStem}` : `list${context.allNamespacesStem}ForAllNamespaces`,
        description: `list or watch objects of kind ${context.gvk.kind}`,
        parameters: LIST_PARAMETERS,
        responses: [ok(listDefinition)],
      };
    case 'create':
      return {
        ...common,
        method: 'post',
        action: 'post',
        operationId: `create${context.idStem}`,
        description: `create ${context.subject}`,
        parameters: writeParameters('post'),
        body: { definition: objectDefinition, consumes: ['application/json', 'application/yaml'] },
        responses: [
          ok(objectDefinition),
          { code: '201', description: 'Created', definition: objectDefinition },
        ],
      };
    case 'replace':
      return {
        ...common,
        method: 'put',
        action: 'put',
        operationId: `replace${context.idStem}`,
        description: `replace the specified ${context.subject}`,
        parameters: writeParameters('put'),
        body: { definition: objectDefinition, consumes: ['application/json', 'application/yaml'] },
        responses: [
          ok(objectDefinition),
          { code: '201', description: 'Created', definition: objectDefinition },
        ],
      };
    case 'patch':
      return {
        ...common,
        method: 'patch',
        action: 'patch',
        operationId: `patch${context.idStem}`,
        description: `partially update the specified ${context.subject}`,
        parameters: writeParameters('patch'),
        body: { definition: PATCH, consumes: PATCH_MEDIA_TYPES },
        responses: [
          ok(objectDefinition),
          { code: '201', description: 'Created', definition: objectDefinition },
        ],
      };
    case 'delete':
      return {
        ...common,
        method: 'delete',
        action: 'delete',
        operationId: `delete${context.idStem}`,
        description: `delete ${context.subject}`,
        parameters: [DRY_RUN],
        body: { definition: DELETE_OPTIONS, consumes: ['application/json', 'application/yaml'] },
        responses: [ok(STATUS), { code: '202', description: 'Accepted', definition: STATUS }],
      };
    case 'deletecollection':
      return {
        ...common,
        method: 'delete',
        action: 'deletecollection',
        operationId: `deletecollection${context.idStem}`,
        description: `delete collection of ${context.gvk.kind}`,
        parameters: [DRY_RUN, ...LIST_PARAMETERS.filter((p) => p.name !== 'watch')],
        body: { definition: DELETE_OPTIONS, consumes: ['application/json', 'application/yaml'] },
        responses: [ok(STATUS)],
      };
  }
}

function has(verbs: readonly Verb[], verb: Verb): boolean {
  return verbs.includes(verb);
}

function nameParameter(kind: string): ParameterSpec {
  return { name: 'name', in: 'path', type: 'string', required: true, description: `name of the ${kind}` };
}

/** Subresources whose requests and answers are objects; log, proxy and exec stream bytes instead. */
const OBJECT_SUBRESOURCES = new Set(['status', 'scale', 'token', 'binding', 'eviction', 'finalize']);

/** A subresource gets paths only when it carries an object we have a schema for. */
function subresourceHasSchema(subresource: SubresourceType): boolean {
  if (!OBJECT_SUBRESOURCES.has(subresource.name)) return false;
  const gvk = { group: subresource.group, version: subresource.version, kind: subresource.kind };
  const className = findModelClassName(gvk);
  return (
    className !== undefined &&
    getDefinitionOfModel(className) !== undefined &&
    definitionNameOfKind(gvk) !== undefined
  );
}

function buildResourcePaths(resource: ResourceType): PathSpec[] {
  const prefix = apiPrefix(resource.group, resource.version);
  const scope = resource.namespaced ? 'Namespaced' : '';
  const groupVersion = `${groupCamel(resource.group)}${capitalize(resource.version)}`;
  const tag = `${groupCamel(resource.group).charAt(0).toLowerCase()}${groupCamel(resource.group).slice(1)}_${resource.version}`;
  const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
  const context: OperationContext = {
    resource,
    gvk,
    idStem: `${groupVersion}${scope}${resource.kind}`,
    allNamespacesStem: `${groupVersion}${resource.kind}`,
    tag,
    subject: resource.kind,
  };
  const collection = resource.namespaced
    ? `${prefix}/namespaces/{namespace}/${resource.plural}`
    : `${prefix}/${resource.plural}`;
  const scopeParameters = resource.namespaced ? [NAMESPACE, PRETTY] : [PRETTY];
  const itemParameters = [nameParameter(resource.kind), ...scopeParameters];
  const verbs = resource.verbs;
  const paths: PathSpec[] = [];

  const collectionOps: OperationSpec[] = [];
  if (has(verbs, 'list')) collectionOps.push(buildOperation(context, 'list'));
  if (has(verbs, 'create')) collectionOps.push(buildOperation(context, 'create'));
  if (has(verbs, 'deletecollection')) collectionOps.push(buildOperation(context, 'deletecollection'));
  if (collectionOps.length > 0)
    paths.push({ path: collection, parameters: scopeParameters, operations: collectionOps });

  const itemOps: OperationSpec[] = [];
  if (has(verbs, 'get')) itemOps.push(buildOperation(context, 'read'));
  if (has(verbs, 'update')) itemOps.push(buildOperation(context, 'replace'));
  if (has(verbs, 'patch')) itemOps.push(buildOperation(context, 'patch'));
  if (has(verbs, 'delete')) itemOps.push(buildOperation(context, 'delete'));
  if (itemOps.length > 0)
    paths.push({ path: `${collection}/{name}`, parameters: itemParameters, operations: itemOps });

  for (const subresource of resource.subresources) {
    if (!subresourceHasSchema(subresource)) continue;
    const subContext: OperationContext = {
      resource,
      gvk: { group: subresource.group, version: subresource.version, kind: subresource.kind },
      idStem: `${context.idStem}${capitalize(subresource.name)}`,
      allNamespacesStem: `${context.allNamespacesStem}${capitalize(subresource.name)}`,
      tag,
      subject:
        subresource.name === 'status'
          ? `status of the ${resource.kind}`
          : `${subresource.name} of the ${resource.kind}`,
    };
    const subOps: OperationSpec[] = [];
    if (has(subresource.verbs, 'get')) subOps.push(buildOperation(subContext, 'read'));
    if (has(subresource.verbs, 'create')) subOps.push(buildOperation(subContext, 'create'));
    if (has(subresource.verbs, 'update')) subOps.push(buildOperation(subContext, 'replace'));
    if (has(subresource.verbs, 'patch')) subOps.push(buildOperation(subContext, 'patch'));
    if (subOps.length > 0) {
      paths.push({
        path: `${collection}/{name}/${subresource.name}`,
        parameters: itemParameters,
        operations: subOps,
      });
    }
  }

  if (resource.namespaced && has(verbs, 'list')) {
    paths.push({
      path: `${prefix}/${resource.plural}`,
      parameters: [PRETTY],
      operations: [buildOperation(context, 'listForAll')],
    });
  }
  return paths;
}

let cachedGroupVersions: GroupVersionSpec[] | undefined;

/** Every served group-version with its paths, in discovery order. Built once. */
export function listGroupVersionSpecs(): readonly GroupVersionSpec[] {
  if (cachedGroupVersions) return cachedGroupVersions;
  const byKey = new Map<string, GroupVersionSpec>();
  for (const resource of ALL_RESOURCES) {
    const indexPath = groupVersionIndexPath(resource.group, resource.version);
    let spec = byKey.get(indexPath);
    if (!spec) {
      spec = { group: resource.group, version: resource.version, indexPath, paths: [] };
      byKey.set(indexPath, spec);
    }
    spec.paths.push(...buildResourcePaths(resource));
  }
  cachedGroupVersions = [...byKey.values()];
  return cachedGroupVersions;
}

/** The definitions an operation refers to directly. */
export function operationDefinitions(operation: OperationSpec): string[] {
  const names = operation.responses.flatMap((r) => (r.definition ? [r.definition] : []));
  if (operation.body) names.push(operation.body.definition);
  return names;
}
