/**
 * The per-kind policy the API core applies: defaulting, validation, server-owned fields,
 * admission and patching. Assembled here from the modules that know each concern.
 */
import type { ClusterApi, ObjectPolicy } from './cluster-api.ts';
import { badRequest } from './errors.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resources.ts';

/** Builds the policy used by the embedded control plane. */
export function createObjectPolicy(): ObjectPolicy {
  return {
    applyDefaults: (_resource: ResourceType, object: KubeObject) => object,
    validate: () => {},
    prepareForCreate: (_resource: ResourceType, object: KubeObject, _api: ClusterApi) => object,
    applyPatch: (_resource, contentType, target, patch) => {
      if (contentType.startsWith('application/merge-patch+json') && patch && typeof patch === 'object') {
        return mergePatch(target, patch) as KubeObject;
      }
      throw badRequest(`patch type ${contentType} is not supported yet`);
    },
  };
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
