/**
 * Request bodies in Kubernetes protobuf, as kubectl 1.32+ sends its typed requests (`kubectl
 * create <kind>`, `auth can-i`, `create token`, the pod deletions of `drain`; `run` and `expose`
 * still send JSON). The API server reads them into the same JSON object a JSON body gives, so
 * nothing past the body reader knows the difference.
 */
import { badRequest, StatusError } from '../errors.ts';
import type { KubeObject } from '../objects.ts';
import { decodeKubernetesProtobuf, ProtobufDecodeError, UnsupportedProtobufError } from './decode-object.ts';

export {
  decodeKubernetesProtobuf,
  decodeMessage,
  KUBERNETES_PROTOBUF_MAGIC,
  ProtobufDecodeError,
  readEnvelope,
  UnsupportedProtobufError,
} from './decode-object.ts';

/** The media type of Kubernetes protobuf bodies. */
export const KUBERNETES_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** The 415 message for what the tables cannot read, with what to do instead. */
export function describeUnsupportedProtobuf(subject: string): string {
  return (
    `kubectl 1.32 and newer send this request body as protobuf, which the embedded cluster does not read yet ` +
    `for ${subject}: write a manifest and use \`kubectl apply -f FILE\`, or use kubectl 1.31 or older for this command`
  );
}

/** True for a Content-Type header naming Kubernetes protobuf (parameters allowed). */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').trim().toLowerCase().startsWith(KUBERNETES_PROTOBUF_CONTENT_TYPE);
}

/**
 * Decodes a protobuf request body for the API server. Never throws anything but a StatusError:
 * 400 BadRequest for a malformed body, 415 UnsupportedMediaType for a kind or field this server
 * cannot read from protobuf (with what to do instead).
 */
export function decodeProtobufBody(body: Uint8Array): KubeObject {
  try {
    return decodeKubernetesProtobuf(body);
  } catch (error) {
    if (error instanceof ProtobufDecodeError) {
      throw badRequest(`cannot decode the protobuf request body: ${error.message}`);
    }
    if (error instanceof UnsupportedProtobufError) {
      throw new StatusError({
        message: describeUnsupportedProtobuf(error.subject),
        reason: 'UnsupportedMediaType',
        code: 415,
      });
    }
    // Anything else is a bug here; still answer as a malformed body rather than crash the request.
    throw badRequest(`cannot decode the protobuf request body: ${(error as Error).message}`);
  }
}
