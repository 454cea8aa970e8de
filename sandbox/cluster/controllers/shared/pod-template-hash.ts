/**
 * The `pod-template-hash`: the label that ties a Deployment's ReplicaSet and its pods to one
 * version of the pod template, and the suffix of the ReplicaSet's name (`vweb-6bd7464487`).
 *
 * Upstream (controller.ComputeHash) runs FNV-32a over a deep dump of the Go struct, then over the
 * collision count, and writes the decimal number with rand.SafeEncodeString. We cannot reproduce
 * the Go dump byte for byte, so we hash a canonical JSON form of the template instead: names differ
 * from a real cluster's, but they have the same shape and the same properties (stable for equal
 * templates, different when the template or the collision count changes).
 */
import type { PodTemplateSpec } from './workload-types.ts';

/** The label key Deployments add to their ReplicaSets' selectors, labels and templates. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Consonants and digits only, so an encoded string can never spell a word. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Maps every character to one of SAFE_ALPHABET by its code, as apimachinery's SafeEncodeString does.
 * Digits land on `4 5 6 7 8 9 b c d f` ('0' is 48, 48 mod 27 = 21, the 22nd letter is '4').
 */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** Folds bytes into a running FNV-1a 32-bit hash. */
export function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A canonical form of a JSON value for hashing and comparison: object keys sorted, and nulls,
 * empty objects and empty arrays dropped, because Kubernetes' semantic equality treats an absent
 * map or list like an empty one (and kubectl sends `creationTimestamp: null` in templates).
 */
export function canonicalizeJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalizeJson(item) ?? null);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = canonicalizeJson((value as Record<string, unknown>)[key]);
      if (child === undefined) continue;
      if (Array.isArray(child) && child.length === 0) continue;
      if (
        child !== null &&
        typeof child === 'object' &&
        !Array.isArray(child) &&
        Object.keys(child).length === 0
      )
        continue;
      out[key] = child;
    }
    return out;
  }
  return value === null ? undefined : value;
}

/** True when two JSON values are equal in their canonical forms. */
export function semanticallyEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalizeJson(a)) === JSON.stringify(canonicalizeJson(b));
}

/**
 * The pod-template-hash of a template and the Deployment's status.collisionCount. Like upstream,
 * a collision count (when set) is hashed as 8 little-endian bytes after the template, so bumping
 * it after a name clash yields a new name.
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const encoded = new TextEncoder().encode(JSON.stringify(canonicalizeJson(template ?? {}) ?? {}));
  let hash = fnv32a(encoded);
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}

/** A copy of a template without the pod-template-hash label (dropping labels left empty). */
export function templateWithoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy: PodTemplateSpec = structuredClone(template ?? {});
  const labels = copy.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/**
 * Whether two pod templates are equal apart from the pod-template-hash label (upstream's
 * EqualIgnoreHash): the test that finds a Deployment's new ReplicaSet, and that makes a rollout
 * undo reuse the old ReplicaSet.
 */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticallyEqual(templateWithoutHash(a), templateWithoutHash(b));
}
