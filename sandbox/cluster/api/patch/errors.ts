/**
 * The ways a PATCH can fail, each carrying the HTTP code, reason and message the real API server
 * answers with (k8s.io/apiserver endpoints/handlers/patch.go), so kubectl prints the same line.
 *
 * What the server does, measured against its source:
 * - body that is not JSON at all: 400 BadRequest `invalid JSON patch`;
 * - JSON patch that does not decode as a list of operations: 400 BadRequest with the decoder's
 *   message (`error decoding patch: ...` when field validation is Strict or Warn);
 * - JSON patch whose application fails (failed `test`, missing path, bad index): 422 Invalid with
 *   the fixed text `the server rejected our request due to an error in our request` and empty
 *   details; the library's own message never reaches the client (kubectl prints
 *   `The request is invalid: the server rejected our request due to an error in our request`);
 * - more than 10000 JSON patch operations: 413 RequestEntityTooLarge;
 * - merge patch that is not an object: 400 BadRequest `Invalid JSON Patch`;
 * - strategic merge patch with a malformed directive (`$retainKeys`, `$setElementOrder`,
 *   `$deleteFromPrimitiveList`): 400 BadRequest with the directive error; lists of lists: 422 as
 *   for JSON patch; every other strategic merge failure (missing merge key, unknown `$patch`
 *   value...) is not a Status inside the server and leaves it as 500 with an empty reason and the
 *   raw message;
 * - a patched document that is not an object: 422 Invalid naming the field `patch`;
 * - a content type the server does not accept: 415 UnsupportedMediaType.
 */

import { StatusError } from '../errors.ts';

/** The message the API server puts in every 422 it builds from a bare HTTP code. */
export const REJECTED_REQUEST_MESSAGE = 'the server rejected our request due to an error in our request';

/** A failed PATCH: a StatusError (so the HTTP layer answers it as is) plus the underlying cause. */
export class PatchError extends StatusError {
  /**
   * What the patch library said, in its own words. Equal to the message except where the server
   * hides it behind a generic text (failed JSON patch operations): keep it for logs and debugging.
   */
  readonly detail: string;

  constructor(
    status: ConstructorParameters<typeof StatusError>[0],
    detail: string = status.message,
    options?: { cause?: unknown },
  ) {
    super(status, options);
    this.name = 'PatchError';
    this.detail = detail;
  }
}

/** A PATCH whose Content-Type is not one of the patch formats this server applies (HTTP 415). */
export class UnsupportedPatchTypeError extends PatchError {
  /** The Content-Type the client sent, without parameters. */
  readonly contentType: string;
  /** The media types the server would have accepted, in the order the message lists them. */
  readonly accepted: readonly string[];

  constructor(contentType: string, accepted: readonly string[]) {
    super({
      message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      reason: 'UnsupportedMediaType',
      code: 415,
    });
    this.name = 'UnsupportedPatchTypeError';
    this.contentType = contentType;
    this.accepted = accepted;
  }
}

/** 400 BadRequest whose message the client sees verbatim. */
export function patchBadRequest(message: string): PatchError {
  return new PatchError({ message, reason: 'BadRequest', code: 400 });
}

/**
 * 422 Invalid as the server builds it from a bare status code: the generic message and empty
 * details; `detail` keeps the real cause.
 */
export function patchRejected(detail: string): PatchError {
  return new PatchError(
    { message: REJECTED_REQUEST_MESSAGE, reason: 'Invalid', details: {}, code: 422 },
    detail,
  );
}

/**
 * 500 for a failure the server does not translate into a Status: empty reason, raw message. The
 * HTTP layer should omit an empty reason from the JSON, as the server's `omitempty` does.
 */
export function patchFailedUnexpectedly(message: string): PatchError {
  return new PatchError({ message, reason: '', code: 500 });
}

/** 413 for a JSON patch with more operations than the server accepts. */
export function patchTooLarge(limit: number, count: number): PatchError {
  return new PatchError({
    message: `Request entity too large: The allowed maximum operations in a JSON patch is ${limit}, got ${count}`,
    reason: 'RequestEntityTooLarge',
    code: 413,
  });
}

/**
 * 422 Invalid naming the field `patch`, as the server answers when the patched document cannot be
 * decoded into the object or breaks strict field validation. `patchedText` is the patched document
 * as JSON text; `why` the decoder's complaint.
 */
export function patchedDocumentInvalid(patchedText: string, why: string): PatchError {
  // The server quotes the value with Go's %q; JSON string syntax is the same for printable text.
  const body = `Invalid value: ${JSON.stringify(patchedText)}: ${why}`;
  return new PatchError({
    // An empty kind and name make the server's "%s %q is invalid" start with a space.
    message: ` "" is invalid: patch: ${body}`,
    reason: 'Invalid',
    details: { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] },
    code: 422,
  });
}
