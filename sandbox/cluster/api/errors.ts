/**
 * Errors of the API, shaped as the Kubernetes `Status` object kubectl reads and prints
 * (`Error from server (NotFound): deployments.apps "vweb" not found`).
 */

/** A cause inside Status.details, e.g. one invalid field. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The `Status` object of meta/v1. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An API failure that carries its HTTP code and Status; thrown inside the API, answered at the edge. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(
    status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'>,
    options?: { cause?: unknown },
  ) {
    super(status.message, options);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

/** What a resource is called in messages: `deployments.apps`, `pods`. */
export interface QualifiedResource {
  group: string;
  plural: string;
}

/** `deployments.apps` or `pods`, the way the API server names a resource in messages. */
export function qualifiedName(resource: QualifiedResource): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

export function notFound(resource: QualifiedResource, name: string): StatusError {
  return new StatusError({
    message: `${qualifiedName(resource)} "${name}" not found`,
    reason: 'NotFound',
    details: { name, group: resource.group || undefined, kind: resource.plural },
    code: 404,
  });
}

export function alreadyExists(resource: QualifiedResource, name: string): StatusError {
  return new StatusError({
    message: `${qualifiedName(resource)} "${name}" already exists`,
    reason: 'AlreadyExists',
    details: { name, group: resource.group || undefined, kind: resource.plural },
    code: 409,
  });
}

export function conflict(resource: QualifiedResource, name: string, why: string): StatusError {
  return new StatusError({
    message: `Operation cannot be fulfilled on ${qualifiedName(resource)} "${name}": ${why}`,
    reason: 'Conflict',
    details: { name, group: resource.group || undefined, kind: resource.plural },
    code: 409,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError({ message, reason: 'BadRequest', code: 400 });
}

export function invalid(
  kind: string,
  group: string,
  name: string,
  message: string,
  causes: StatusCause[],
): StatusError {
  return new StatusError({
    message,
    reason: 'Invalid',
    details: { name, group: group || undefined, kind, causes },
    code: 422,
  });
}

export function forbidden(message: string, resource?: QualifiedResource, name?: string): StatusError {
  return new StatusError({
    message,
    reason: 'Forbidden',
    details: resource ? { name, group: resource.group || undefined, kind: resource.plural } : undefined,
    code: 403,
  });
}

export function unauthorized(): StatusError {
  return new StatusError({ message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError({ message, reason: 'MethodNotAllowed', code: 405 });
}

export function gone(message: string): StatusError {
  return new StatusError({ message, reason: 'Expired', code: 410 });
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError({
    message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
    reason: 'UnsupportedMediaType',
    details: { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
    code: 415,
  });
}

export function notAcceptable(): StatusError {
  return new StatusError({
    message: 'only the following media types are accepted: application/json, application/yaml',
    reason: 'NotAcceptable',
    code: 406,
  });
}

export function pathNotFound(): StatusError {
  return new StatusError({
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    code: 404,
  });
}

export function internalError(message: string, cause?: unknown): StatusError {
  return new StatusError(
    { message: `Internal error occurred: ${message}`, reason: 'InternalError', code: 500 },
    { cause },
  );
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError({ message, reason: 'ServiceUnavailable', code: 503 });
}

/** Any thrown value as a StatusError; unknown errors become 500 without leaking stack traces. */
export function toStatusError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return internalError(message, error);
}
