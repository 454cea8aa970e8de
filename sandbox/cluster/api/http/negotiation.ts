/**
 * Content negotiation for the Accept header kubectl sends, e.g.
 * `application/json;as=Table;v=v1;g=meta.k8s.io,application/json`. Pure.
 */

/** One media range of an Accept header with its parameters. */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/** Splits an Accept header into media ranges in the order given (q-values are not used by kubectl). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((part) => {
      const [type, ...rawParams] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const raw of rawParams) {
        const eq = raw.indexOf('=');
        if (eq > 0) params[raw.slice(0, eq).trim()] = raw.slice(eq + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params };
    })
    .filter((m) => m.type !== '');
}

/** What representation a response should take. */
export type Representation =
  | { as: 'object'; yaml: boolean }
  | { as: 'Table' }
  | { as: 'PartialObjectMetadata' }
  | { as: 'APIGroupDiscoveryList'; version: 'v2' | 'v2beta1' }
  | { as: 'protobuf' };

function acceptsJson(type: string): boolean {
  return type === 'application/json' || type === '*/*' || type === 'application/*';
}

/** Picks the first representation the server supports, in the client's order; undefined if none. */
export function chooseRepresentation(
  header: string | undefined,
  options: { discovery?: boolean } = {},
): Representation | undefined {
  for (const range of parseAccept(header)) {
    const as = range.params.as;
    if (as) {
      if (!acceptsJson(range.type)) continue;
      if (
        as === 'Table' &&
        range.params.g === 'meta.k8s.io' &&
        (range.params.v === 'v1' || range.params.v === 'v1beta1')
      )
        return { as: 'Table' };
      if (as === 'PartialObjectMetadata' && range.params.g === 'meta.k8s.io')
        return { as: 'PartialObjectMetadata' };
      if (as === 'APIGroupDiscoveryList' && options.discovery && range.params.g === 'apidiscovery.k8s.io') {
        if (range.params.v === 'v2' || range.params.v === 'v2beta1')
          return { as: 'APIGroupDiscoveryList', version: range.params.v };
      }
      continue;
    }
    if (range.type === 'application/yaml') return { as: 'object', yaml: true };
    if (acceptsJson(range.type)) return { as: 'object', yaml: false };
    if (range.type === 'application/vnd.kubernetes.protobuf') continue;
  }
  return undefined;
}
