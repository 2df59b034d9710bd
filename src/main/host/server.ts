// `warroom serve`: the core's dispatch table over HTTP, a server-sent-events stream of changes,
// and the built renderer. It is the wall display and how end-to-end tests drive the real app.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX, CHANGES_PATH, TOKEN_COOKIE, TOKEN_PARAM } from '../../shared/api/bridge.ts';
import type { ChangeNotice } from '../../shared/api/changes.ts';
import { ApiError, type ApiErrorShape, type ErrorCode } from '../../shared/api/errors.ts';
import type { Dispatch } from '../core/dispatch.ts';
import { checkAccessConfig, grantFor, isLoopbackHost, type AccessConfig, type Grant } from './access.ts';
import { resolveStaticPath, sendStatic } from './static.ts';

export interface HostOptions extends AccessConfig {
  port: number;
  dispatch: Dispatch;
  subscribe(listener: (notice: ChangeNotice) => void): () => void;
  /** Folder of the built renderer; null serves the API only. */
  staticDir: string | null;
  log?: (line: string) => void;
  /** Milliseconds between SSE keep-alive comments (proxies and sleeping laptops drop idle streams). */
  heartbeatMs?: number;
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export class HostConfigError extends Error {}

// Evidence attachments travel as base64 inside the JSON body (10 MiB of bytes ≈ 13.4 MiB).
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  no_profile: 409,
  storage_full: 507,
  unavailable: 503,
  internal: 500,
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const problem = checkAccessConfig(options);
  if (problem) throw new HostConfigError(problem);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const streams = new Set<ServerResponse>();
  let boundPort = options.port;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[serve] ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendError(res, new ApiError('internal', 'Internal error; the details are in the log.'));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hostHeaderAllowed(req.headers.host, options.host, boundPort)) {
      // A page on another site that rebinds its DNS to 127.0.0.1 arrives with its own Host.
      return sendError(res, new ApiError('forbidden', 'Unexpected Host header.'));
    }
    const presented = presentedToken(req, url);
    const grant = grantFor(options, presented);
    if (grant === 'none') {
      return sendError(res, new ApiError('unauthorized', 'This War Room needs a token: open the URL printed by `warroom serve` (it carries ?token=…).'));
    }
    const setCookie = url.searchParams.has(TOKEN_PARAM) && presented ? cookieFor(presented) : undefined;

    if (url.pathname === CHANGES_PATH) {
      if (req.method !== 'GET') return sendError(res, new ApiError('invalid_input', `Use GET for ${CHANGES_PATH}.`));
      return openStream(req, res);
    }
    if (url.pathname.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') {
        return sendError(res, new ApiError('invalid_input', `Use POST for ${url.pathname}.`), { allow: 'POST' });
      }
      if (!sameOrigin(req)) return sendError(res, new ApiError('forbidden', 'Cross-origin requests are refused.'));
      return callMethod(req, res, decodeURIComponent(url.pathname.slice(API_PREFIX.length)), grant);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, new ApiError('invalid_input', 'Only GET is served outside /api/.'));
    }
    const file = options.staticDir ? resolveStaticPath(options.staticDir, url.pathname) : null;
    if (!file) {
      if (!options.staticDir) return sendError(res, new ApiError('not_found', 'This server was started without the renderer (API only).'));
      return sendError(res, new ApiError('not_found', `No such file: ${url.pathname}`));
    }
    sendStatic(res, file, setCookie ? { ...SECURITY_HEADERS, 'set-cookie': setCookie } : SECURITY_HEADERS);
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, method: string, grant: Grant) {
    const body = await readBody(req);
    if (body instanceof ApiError) return sendError(res, body);
    const result = await options.dispatch(method, body, { allowWrite: grant === 'write' });
    if (result.ok) return sendJson(res, 200, result);
    return sendJson(res, STATUS[result.error.code] ?? 500, result);
  }

  function openStream(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const unsubscribe = options.subscribe((notice) => res.write(`data: ${JSON.stringify(notice)}\n\n`));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('error', end);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const tokenQuery = options.writeToken ?? options.token;
  const url = `http://${shownHost}:${boundPort}/${tokenQuery ? `?${TOKEN_PARAM}=${encodeURIComponent(tokenQuery)}` : ''}`;

  return {
    url,
    port: boundPort,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const stream of streams) stream.end();
        server.closeIdleConnections();
        server.close(() => resolvePromise());
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}

function hostHeaderAllowed(header: string | undefined, boundHost: string, port: number): boolean {
  if (!isLoopbackHost(boundHost)) return true; // on the LAN the token is the guard
  if (!header) return false;
  const name = header.replace(/:\d+$/, '');
  const headerPort = header.match(/:(\d+)$/)?.[1];
  return isLoopbackHost(name) && (headerPort === undefined || Number(headerPort) === port);
}

/** Browsers send Origin on cross-site POSTs; a mismatch means another site is calling. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // scripts and the CLI send none
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery) return fromQuery;
  const cookie = req.headers.cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${TOKEN_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(TOKEN_COOKIE.length + 1)) : undefined;
}

function cookieFor(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return new ApiError('invalid_input', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new ApiError('invalid_input', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError, extra: Record<string, string> = {}): void {
  const shape: ApiErrorShape = error.toJSON();
  sendJson(res, STATUS[shape.code], { ok: false, error: shape }, extra);
}
