/**
 * The hashing that names ControllerRevisions and labels pods: FNV-32 over canonical JSON, printed in
 * decimal and re-spelled with an alphabet that cannot form words (what apimachinery's
 * `rand.SafeEncodeString` does), so names look like `todo-db-6c4f8d9b7` on every cluster.
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1 (multiply, then xor) over bytes, as Go's `hash/fnv.New32` computes it. */
export function fnv32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash;
}

/** FNV-1a (xor, then multiply) over bytes, as Go's `hash/fnv.New32a` computes it. */
export function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash = (hash ^ byte) >>> 0;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * Maps every character to the safe alphabet by its code modulo 27. Only decimal digits are ever
 * encoded here, and they land on fixed characters: '0' (48 % 27 = 21) → '4', '1' → '5', … '5' → '9',
 * '6' (54 % 27 = 0) → 'b', '7' → 'c', '8' → 'd', '9' → 'f'; so the hash 1234567890 reads "5678bcdf4".
 */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
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

/**
 * The hash a DaemonSet gives its current template (upstream `controller.ComputeHash`): FNV-1a over
 * the template, then the collision count as four little-endian bytes when one is recorded, spelled
 * safely. Upstream hashes Go's in-memory dump of the struct; the canonical JSON stands in for it, so
 * values differ from a real cluster's but are stable for the same template here.
 */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let hash = fnv32a(utf8(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
