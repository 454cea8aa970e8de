/**
 * Just enough of the Docker image reference grammar (distribution/reference) to default a
 * container's imagePullPolicy the way Kubernetes does: `Always` when the tag is `latest` or
 * missing (a missing tag means `latest`), otherwise `IfNotPresent`. An image pinned only by
 * digest has no tag, so it gets `IfNotPresent`; so does a reference Docker would reject, such as
 * one with capitals in the repository path.
 */

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The parts of an image reference that matter for defaulting. */
export interface ImageReference {
  /** The tag, or '' when absent. */
  tag: string;
  /** The digest (`sha256:...`), or '' when absent. */
  digest: string;
}

/** Parses `registry:5000/team/app:v1@sha256:...`; undefined when it is not a valid reference. */
export function parseImageReference(image: string): ImageReference | undefined {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest.length === 0 || rest.length > 255 || /^[a-f0-9]{64}$/.test(rest)) return undefined;
  const components = rest.split('/');
  const first = components[0] ?? '';
  const hasDomain =
    components.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first));
  if (hasDomain) {
    if (!DOMAIN.test(first)) return undefined;
    components.shift();
  }
  if (!components.every((component) => PATH_COMPONENT.test(component))) return undefined;
  return { tag, digest };
}

/** Kubernetes' default pull policy for a container image. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const reference = parseImageReference(image);
  if (!reference) return 'IfNotPresent';
  const tag = reference.tag === '' && reference.digest === '' ? 'latest' : reference.tag;
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
