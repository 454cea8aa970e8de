/**
 * The `data` a DaemonSet or StatefulSet ControllerRevision stores: a strategic merge patch that puts
 * a pod template back, `{"spec":{"template":{...,"$patch":"replace"}}}`. `kubectl rollout undo`
 * sends exactly these bytes as a PATCH, and `kubectl rollout history --revision=N` applies them to
 * show the template, so the shape and key order must be upstream's.
 *
 * kubectl also decides "current template already matches revision N" by rebuilding the patch from
 * the object it reads, after a round trip through Go structs, and comparing bytes. The template is
 * therefore normalised the way that round trip changes it: keys sorted (Go writes maps sorted),
 * `metadata.creationTimestamp: null` present, containers' `resources: {}` present, empty lists and
 * nulls gone (every list field of a pod spec is `omitempty`).
 */
import type { Json, JsonObject, KubeObject } from '../../api/objects.ts';
import { canonicalJson, sortKeysDeep } from './hash.ts';

/** The strategic-merge directive that makes the template replace, not merge into, the live one. */
export const REPLACE_DIRECTIVE = '$patch';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const OMIT_WHEN_EMPTY_MAPS = new Set(['labels', 'annotations', 'nodeSelector']);

/** A pod template as Go would serialise it again (see the module comment). */
export function normalizeTemplate(template: unknown): JsonObject {
  const cleaned = (dropEmpty(template) ?? {}) as JsonObject;
  const metadata = (
    cleaned.metadata && typeof cleaned.metadata === 'object' && !Array.isArray(cleaned.metadata)
      ? cleaned.metadata
      : {}
  ) as JsonObject;
  cleaned.metadata = { ...metadata, creationTimestamp: null };
  const spec = cleaned.spec;
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    for (const list of CONTAINER_LISTS) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      spec[list] = containers.map((c) =>
        c && typeof c === 'object' && !Array.isArray(c) && c.resources === undefined
          ? { ...c, resources: {} }
          : c,
      );
    }
  }
  return sortKeysDeep(cleaned);
}

/** The revision data for an object with `spec.template`: keys sorted, ready to store and to hash. */
export function getTemplatePatch(owner: KubeObject): JsonObject {
  const template = normalizeTemplate(owner.spec?.template);
  return sortKeysDeep({ spec: { template: { ...template, [REPLACE_DIRECTIVE]: 'replace' } } });
}

/** Whether the object's template is the one the revision stores (upstream `Match`: equal bytes). */
export function templateMatchesRevision(owner: KubeObject, revision: KubeObject): boolean {
  return canonicalJson(getTemplatePatch(owner)) === canonicalJson(revision.data);
}

/** The pod template a revision stores, without the patch directive. */
export function templateFromRevision(revision: KubeObject): JsonObject {
  const data = revision.data as { spec?: { template?: JsonObject } } | undefined;
  const { [REPLACE_DIRECTIVE]: _directive, ...template } = data?.spec?.template ?? {};
  return structuredClone(template);
}

/**
 * The object as it was at a revision (upstream `ApplyRevision`): everything as now, except the pod
 * template, which the stored patch replaces wholesale.
 */
export function applyRevision(owner: KubeObject, revision: KubeObject): KubeObject {
  const copy = structuredClone(owner) as KubeObject;
  copy.spec = { ...(copy.spec ?? {}), template: templateFromRevision(revision) };
  return copy;
}

function dropEmpty(value: unknown, key?: string): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => dropEmpty(item)).filter((item): item is Json => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [member, child] of Object.entries(value)) {
      const kept = dropEmpty(child, member);
      if (kept !== undefined) out[member] = kept;
    }
    if (key && OMIT_WHEN_EMPTY_MAPS.has(key) && Object.keys(out).length === 0) return undefined;
    return out;
  }
  return value as Json;
}
