// The one error shape every transport carries: code, message, when the problem is a single input
// the offending field as a dotted path, and for refusals a UI picks its words by, a stable reason
// (e.g. a sync set-up's 'format_newer'). All survive IPC, HTTP and the CLI unchanged.

export const ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'conflict',
  'forbidden',
  'unauthorized',
  'no_profile',
  'unavailable',
  'storage_full',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  field?: string;
  /** A stable, machine-readable why (the method's documented list); never parsed from `message`. */
  reason?: string;
}

export class ApiError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly reason?: string;

  constructor(code: ErrorCode, message: string, field?: string, reason?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (field !== undefined) this.field = field;
    if (reason !== undefined) this.reason = reason;
  }

  toJSON(): ApiErrorShape {
    const shape: ApiErrorShape = { code: this.code, message: this.message };
    if (this.field !== undefined) shape.field = this.field;
    if (this.reason !== undefined) shape.reason = this.reason;
    return shape;
  }
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === 'string' &&
    (v.field === undefined || typeof v.field === 'string') &&
    (v.reason === undefined || typeof v.reason === 'string')
  );
}

/** Rebuilds a thrown ApiError on the calling side of a transport. */
export function errorFromShape(shape: ApiErrorShape): ApiError {
  return new ApiError(shape.code, shape.message, shape.field, shape.reason);
}
