// The REST side of the simulator on node:http (exact control of status codes, content types and bodies):
// Kite's envelope (§3), X-Kite-Version and Authorization checks, rate limits (§4) and armed faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KiteApiError, type KiteErrorType } from '../kite-api-error.ts';
import type { FaultState, HttpFault } from '../fault-state.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { RawResponse, Route, RouteRequest, SimContext } from './route-types.ts';

/** What the REST handler needs. */
export interface RestHandlerDeps {
  readonly ctx: SimContext;
  readonly routes: readonly Route[];
  readonly faults: FaultState;
  /** null disables server-side rate limits. */
  readonly limiter: RateLimiter | null;
  /** Schedules a delayed response (real time). */
  readonly later: (ms: number, run: () => void) => void;
  /** Receives unexpected handler errors (answered as 500 GeneralException). */
  readonly onInternalError: (error: unknown) => void;
}

/** The body of 429 responses: plain text, so the official client reports a NetworkException (§3). */
export const TOO_MANY_REQUESTS_BODY = 'Too many requests';

const FAULT_ERROR_TYPES: Readonly<Record<500 | 502 | 503 | 504, KiteErrorType>> = {
  500: 'GeneralException',
  502: 'DataException',
  503: 'NetworkException',
  504: 'NetworkException',
};

function envelopeError(status: number, errorType: KiteErrorType, message: string): RawResponse {
  return {
    raw: true,
    status,
    contentType: 'application/json',
    body: JSON.stringify({ status: 'error', message, error_type: errorType, data: null }),
  };
}

function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** Returns the node:http request listener of the simulator's REST API. */
export function createRestHandler(
  deps: RestHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let delayMs = 0;
      let response: RawResponse;
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const faults = deps.faults.take(url.pathname);
        for (const fault of faults) if (fault.kind === 'delay') delayMs = fault.ms;
        response = handle(deps, req, url, Buffer.concat(chunks).toString('utf8'), faults);
      } catch (error) {
        if (error instanceof KiteApiError) {
          response = envelopeError(error.httpStatus, error.errorType, error.message);
        } else {
          deps.onInternalError(error);
          response = envelopeError(
            500,
            'GeneralException',
            `simulator error: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      const send = (): void => {
        const headers: Record<string, string> = { ...(response.headers ?? {}) };
        if (response.contentType !== null) headers['Content-Type'] = response.contentType;
        res.writeHead(response.status, headers);
        res.end(response.body);
      };
      if (delayMs > 0) deps.later(delayMs, send);
      else send();
    });
  };
}

function handle(
  deps: RestHandlerDeps,
  req: IncomingMessage,
  url: URL,
  body: string,
  faults: readonly HttpFault[],
): RawResponse {
  const { ctx } = deps;
  for (const fault of faults) {
    if (fault.kind === 'rate-limit')
      return { raw: true, status: 429, contentType: 'text/plain', body: TOO_MANY_REQUESTS_BODY };
    if (fault.kind === 'fail') {
      return envelopeError(
        fault.status,
        FAULT_ERROR_TYPES[fault.status],
        `Simulated ${fault.status} failure.`,
      );
    }
  }
  const method = req.method ?? 'GET';
  let route: Route | undefined;
  let match: RegExpExecArray | null = null;
  for (const r of deps.routes) {
    if (r.method !== method) continue;
    match = r.pattern.exec(url.pathname);
    if (match !== null) {
      route = r;
      break;
    }
  }
  if (route === undefined || match === null) {
    return envelopeError(404, 'GeneralException', `Route not found: ${method} ${url.pathname}`);
  }
  if (route.rateClass !== null && deps.limiter !== null && !deps.limiter.tryTake(route.rateClass)) {
    return { raw: true, status: 429, contentType: 'text/plain', body: TOO_MANY_REQUESTS_BODY };
  }
  let session = null;
  if (route.auth === 'token') {
    if (req.headers['x-kite-version'] !== '3') {
      throw new KiteApiError(
        400,
        'InputException',
        'Missing or invalid `X-Kite-Version` header: expected 3.',
      );
    }
    const auth = /^token ([^:]+):(.+)$/.exec(req.headers.authorization ?? '');
    session =
      auth !== null && auth[1] === ctx.apiKey ? ctx.sessions.validate(auth[2] ?? '', ctx.clock.now()) : null;
    if (session === null)
      throw new KiteApiError(403, 'TokenException', 'Incorrect `api_key` or `access_token`.');
    ctx.book.advance(ctx.clock.now());
  }
  const contentType = req.headers['content-type'] ?? '';
  let json: unknown;
  let form: Record<string, string> = {};
  if (contentType.includes('application/json') && body !== '') {
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new KiteApiError(
        400,
        'InputException',
        `Invalid JSON body: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else if (body !== '') {
    form = parseForm(body);
  }
  const request: RouteRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    form,
    json,
    params: match.slice(1),
    session,
  };
  const result = route.handle(ctx, request);
  if (result.raw === true) return result;
  return {
    raw: true,
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({ status: 'success', data: result.data }),
  };
}
