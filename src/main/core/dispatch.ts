// The single dispatch table: method name -> validated input -> handler -> typed result.
// Every transport (IPC, HTTP, CLI) calls `dispatch`; none has per-method code.
import type { z } from 'zod';
import { api, isMethodName, type MethodName, type ParsedInputOf, type ResultOf } from '../../shared/api/contract.ts';
import type { AnySpec } from '../../shared/api/define.ts';
import { ApiError, type ApiErrorShape, type ApiResult } from '../../shared/api/errors.ts';

/** Handlers for one API group, typed from its declarations. */
/** What a handler may know about the connection a call came through. */
export interface CallInfo {
  access: 'read' | 'write';
}

export type HandlersOf<G extends Record<string, AnySpec>, Ctx> = {
  [M in keyof G]: (
    input: z.output<G[M]['input']>,
    ctx: Ctx,
    call: CallInfo,
  ) => Exclude<G[M]['__result'], undefined> | Promise<Exclude<G[M]['__result'], undefined>>;
};

export type Handlers<Ctx> = {
  [M in MethodName]: (input: ParsedInputOf<M>, ctx: Ctx, call: CallInfo) => ResultOf<M> | Promise<ResultOf<M>>;
};

export interface DispatchOptions {
  /** False for read-only transports (a LAN wall display without a write token). */
  allowWrite?: boolean;
}

export type Dispatch = (method: string, input: unknown, options?: DispatchOptions) => Promise<ApiResult<unknown>>;

export function createDispatch<Ctx>(handlers: Handlers<Ctx>, ctx: Ctx, log: (line: string) => void = defaultLog): Dispatch {
  return async (method, rawInput, options = {}) => {
    if (!isMethodName(method)) {
      return fail(new ApiError('unknown_method', `Unknown API method "${method}".`));
    }
    const spec: AnySpec = api[method];
    if (spec.access === 'write' && options.allowWrite === false) {
      return fail(new ApiError('forbidden', `"${method}" changes data and this connection is read-only.`));
    }
    const parsed = spec.input.safeParse(rawInput === undefined || rawInput === null ? {} : rawInput);
    if (!parsed.success) return fail(inputError(parsed.error));
    try {
      const handler = handlers[method] as (input: unknown, ctx: Ctx, call: CallInfo) => unknown;
      const value = await handler(parsed.data, ctx, { access: options.allowWrite === false ? 'read' : 'write' });
      return { ok: true, value };
    } catch (error) {
      return fail(toApiError(error, method, log));
    }
  };
}

/** The first schema issue, named by its field path; the message is for people. */
export function inputError(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError('invalid_input', 'The input is not valid.');
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return new ApiError('invalid_input', `Unknown field: ${keys}.`, field ? `${field}.${issue.keys[0]}` : issue.keys[0]);
  }
  if (!field) return new ApiError('invalid_input', issue.message);
  return new ApiError('invalid_input', issue.message, field);
}

function toApiError(error: unknown, method: string, log: (line: string) => void): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new ApiError('storage_full', 'The disk holding the data folder is full; free some space and try again.');
  }
  if (code === 'SQLITE_BUSY') {
    return new ApiError('unavailable', 'The database is busy in another process; try again.');
  }
  // Unexpected: keep the detail in the log, never in the answer.
  log(`[core] ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new ApiError('internal', `Internal error while running ${method}; the details are in the log.`);
}

function fail(error: ApiError): { ok: false; error: ApiErrorShape } {
  return { ok: false, error: error.toJSON() };
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
