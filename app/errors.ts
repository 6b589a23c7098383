// Every error the shop answers with, one entry each: a code clients can match on, its HTTP
// status, and a default message. Input problems are 4xx (401 for a login that does not hold),
// a store that cannot answer is 503; 500 is kept for bugs.
export const errorCatalog = {
  bad_json: { status: 400, message: 'the request body is not valid JSON' },
  bad_path: { status: 400, message: 'the request path has a malformed percent-encoding' },
  invalid_field: { status: 400, message: 'a field is missing or invalid' },
  not_found: { status: 404, message: 'no such route' },
  unauthenticated: { status: 401, message: 'log in first' },
  unknown_session: { status: 401, message: 'unknown session token' },
  session_expired: { status: 401, message: 'session expired' },
  session_revoked: { status: 401, message: 'session revoked' },
  invalid_credentials: { status: 401, message: 'wrong username or password' },
  login_unavailable: { status: 404, message: 'login needs DATABASE_URL (PostgreSQL); this node runs without it' },
  username_taken: { status: 409, message: 'that username is taken' },
  session_ended: { status: 409, message: 'the session ended during this request; reload and try again' },
  too_many_attempts: { status: 429, message: 'too many failed logins; wait a minute and try again' },
  body_too_large: { status: 413, message: 'the request body is larger than the limit' },
  unsupported_media_type: { status: 415, message: 'the request body must be application/json' },
  store_unavailable: { status: 503, message: 'the session store is not answering; try again shortly' },
  internal: { status: 500, message: 'internal error' },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = errorCatalog[code].message,
    /** The request field at fault, for invalid_field. */
    readonly field?: string,
  ) {
    super(message);
    this.status = errorCatalog[code].status;
  }

  /** A 503 for a store (or database) that did not answer, keeping what went wrong for the log. */
  static storeUnavailable(cause: unknown, message?: string): HttpError {
    const error = new HttpError('store_unavailable', message);
    error.cause = cause;
    return error;
  }

  toJSON(): { error: ErrorCode; message: string; field?: string } {
    return { error: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

/** The router's error for a path parameter that does not decode (GET /cart/items/%): a 400, not a bug. */
export function fromRouterError(err: unknown): HttpError | undefined {
  if (!(err instanceof URIError) || (err as { status?: unknown }).status !== 400) return undefined;
  return new HttpError('bad_path');
}

/** Maps body-parser's errors (they carry `type`) to the catalog; undefined for anything else. */
export function fromBodyParserError(err: unknown): HttpError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.parse.failed':
      return new HttpError('bad_json');
    case 'entity.too.large':
      return new HttpError('body_too_large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError('unsupported_media_type', 'the request body must be UTF-8 application/json');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpError('bad_json', 'the request body could not be read');
    default:
      return undefined;
  }
}
