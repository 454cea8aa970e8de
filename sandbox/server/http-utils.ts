/**
 * Small pieces of HTTP for the API: JSON answers, the API's error shape, reading a JSON body
 * through a schema. node:http only, no framework.
 */
import type http from 'node:http';
import type { z } from 'zod';
import { type ApiErrorBody, type ApiErrorCode, describeIssues } from '../../src/protocol/index.ts';

/** Largest request body the API reads: its bodies are a few fields. */
export const MAX_BODY_BYTES = 16 * 1024;

/** An API failure with its HTTP status, stable code, message and next step. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly hint: string;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    hint: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.headers = options.headers ?? {};
  }
}

/** Headers every API answer carries: nothing cached, nothing sniffed. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Sends a JSON answer. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...API_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** The JSON body of an API error. */
export function errorBody(error: ApiError): ApiErrorBody {
  return { error: { code: error.code, message: error.message, hint: error.hint } };
}

/** Sends an ApiError as `{"error":{code,message,hint}}`. */
export function sendApiError(res: http.ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, errorBody(error), error.headers);
}

/** Reads the raw body, refusing more than `maxBytes` (413) before it is all in memory. */
export function readBody(req: http.IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > maxBytes) {
      reject(tooLarge(maxBytes));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge(maxBytes));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    'payload-too-large',
    `The request body is larger than ${maxBytes} bytes.`,
    'Send a small JSON object; see GET /api for the bodies each route takes.',
  );
}

/**
 * The request's JSON body validated by `schema`. An empty body counts as `{}` so that routes
 * with all-optional bodies work with plain `curl -X POST`. 415 for a body that is not JSON by
 * its Content-Type, 400 for bad JSON or a schema mismatch (the message names the fields).
 */
export async function readJsonBody<T>(
  req: http.IncomingMessage,
  schema: z.ZodType<T>,
  maxBytes = MAX_BODY_BYTES,
): Promise<T> {
  const text = await readBody(req, maxBytes);
  let value: unknown = {};
  if (text.trim() !== '') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type !== '' && !type.startsWith('application/json'))
      throw new ApiError(
        415,
        'unsupported-media-type',
        `The body must be JSON, not ${type}.`,
        'Send Content-Type: application/json.',
      );
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'bad-request', 'The request body is not valid JSON.', 'Send a JSON object.');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError(
      400,
      'bad-request',
      `The request body is not accepted: ${describeIssues(parsed.error)}`,
      'See GET /api for the fields each route takes.',
    );
  return parsed.data;
}
