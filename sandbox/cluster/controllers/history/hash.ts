/**
 * Hashing of StatefulSet revision data (upstream `history.HashControllerRevision`): FNV-1 over the
 * stored bytes, re-spelled with the safe alphabet of `controllers/shared/pod-template-hash.ts`, and
 * the canonical JSON those bytes are. (DaemonSets name revisions by the pod-template hash instead:
 * `computeHash` in the shared module, as upstream uses `controller.ComputeHash` for both.)
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1 (multiply, then xor) over bytes, as Go's `hash/fnv.New32` computes it; note the order is
 * the reverse of FNV-1a's. Worked example: the empty input hashes to the offset 2166136261.
 */
export function fnv32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash;
}

/**
 * JSON with object keys sorted at every level and no whitespace: the bytes Go's encoder writes for
 * a `map[string]interface{}`, which is how upstream serialises revision data. `undefined` members
 * are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

/** A deep copy whose objects have their keys inserted in sorted order (JSON.stringify keeps it). */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeysDeep(member);
    }
    return out as T;
  }
  return value;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
