/**
 * Container image references as containerd reads them. A pod spec says `nginx` or
 * `kiamol/ch09-vweb:v1`; the runtime pulls `docker.io/library/nginx:latest` and
 * `docker.io/kiamol/ch09-vweb:v1`, and containerStatuses report the long form. The rules follow
 * the distribution reference grammar that containerd and the kubelet apply.
 */

/** An image reference split into the parts a registry understands. */
export interface ImageRef {
  /** Registry host: `docker.io`, `registry.k8s.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/nginx`, `kiamol/ch09-vweb`. */
  path: string;
  /** Tag, or undefined when the reference names a digest only. */
  tag: string | undefined;
  /** `sha256:…` when the reference pins a digest. */
  digest: string | undefined;
}

/** Why a reference cannot be parsed; the kubelet reports it as InvalidImageName. */
export class InvalidImageReferenceError extends Error {
  readonly reference: string;
  constructor(reference: string, why: string) {
    super(`couldn't parse image name "${reference}": invalid reference format${why ? `: ${why}` : ''}`);
    this.name = 'InvalidImageReferenceError';
    this.reference = reference;
  }
}

const DOCKER_HUB = 'docker.io';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Parses a reference the way the kubelet does before pulling. Throws InvalidImageReferenceError
 * for references containerd would refuse (upper case, spaces, empty).
 *
 * `nginx` → docker.io / library/nginx / latest; `kiamol/ch09-vweb:v1` → docker.io / kiamol/ch09-vweb / v1;
 * `localhost:5000/app` → localhost:5000 / app / latest.
 */
export function parseImageRef(reference: string): ImageRef {
  const text = reference.trim();
  if (!text || text !== reference) throw new InvalidImageReferenceError(reference, '');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new InvalidImageReferenceError(reference, 'invalid digest');
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw new InvalidImageReferenceError(reference, '');
  }
  const parts = rest.split('/');
  let domain = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    parts.shift();
  }
  if (domain === 'index.docker.io') domain = DOCKER_HUB;
  if (parts.length === 0 || parts.some((p) => !PATH_COMPONENT.test(p))) {
    const lower = rest.toLowerCase() !== rest;
    throw new InvalidImageReferenceError(
      reference,
      lower ? `repository name (${rest}) must be lowercase` : '',
    );
  }
  if (domain === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { domain, path: parts.join('/'), tag, digest };
}

/** `docker.io/library/nginx`: the repository without tag or digest. */
export function repositoryOf(ref: ImageRef): string {
  return `${ref.domain}/${ref.path}`;
}

/** The fully qualified reference containerd reports: `docker.io/library/nginx:1.17-alpine`. */
export function formatImageRef(ref: ImageRef): string {
  const base = repositoryOf(ref);
  if (ref.digest) return ref.tag ? `${base}:${ref.tag}@${ref.digest}` : `${base}@${ref.digest}`;
  return `${base}:${ref.tag ?? 'latest'}`;
}

/** Normalizes a reference: `nginx` → `docker.io/library/nginx:latest`. Throws for invalid references. */
export function normalizeImageRef(reference: string): string {
  return formatImageRef(parseImageRef(reference));
}

/** The pull policies a container may carry. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/**
 * The pull policy in force: the container's own, or the API server's default for it, which is
 * Always for `:latest` (or no tag) and IfNotPresent otherwise.
 */
export function pullPolicyOf(image: string, declared: unknown): PullPolicy {
  if (declared === 'Always' || declared === 'IfNotPresent' || declared === 'Never') return declared;
  const lastColon = image.lastIndexOf(':');
  const hasTag = lastColon > image.lastIndexOf('/');
  if (image.includes('@')) return 'IfNotPresent';
  if (!hasTag || image.slice(lastColon + 1) === 'latest') return 'Always';
  return 'IfNotPresent';
}
