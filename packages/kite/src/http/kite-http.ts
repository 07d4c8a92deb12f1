// The transport under KiteRestClient: wire conventions of kite-connect.md §2.1, the envelope and errors of §3,
// limits of §4 (shared token buckets, backoff for retryable reads, a circuit breaker per class) and the session
// rule: a TokenException raises `sessionExpired` and stops order calls until a new access token is set.
import { noopLogger, type Clock, type Logger } from '@kitepilot/core';
import {
  DataException,
  KiteCircuitOpenError,
  KiteError,
  KiteRateLimitError,
  KiteSessionExpiredError,
  KiteTimeoutError,
  NetworkException,
  TokenException,
  kiteErrorFromResponse,
  type KiteRequestInfo,
} from '../errors.ts';
import { DEFAULT_BACKOFF, backoffDelayMs, type BackoffOptions } from './backoff.ts';
import { CircuitBreaker, DEFAULT_CIRCUIT_BREAKER, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { sleepOn, uniqueTimerName } from './clock-sleep.ts';
import { ENDPOINT_CLASSES, endpointClassOf, type EndpointClass } from './endpoint-class.ts';
import { KITE_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limiter.ts';

/** The User-Agent KitePilot sends (the official client sends `kiteconnectjs/5.3.0`). */
export const KITEPILOT_USER_AGENT = 'kitepilot-kite/0.1';

/** The REST root of Kite Connect. */
export const KITE_REST_URL = 'https://api.kite.trade';

/** A query or form parameter value; arrays become repeated keys; undefined is left out. */
export type KiteParamValue = string | number | boolean | readonly (string | number)[] | undefined;

/** Query or form parameters. */
export type KiteParams = Readonly<Record<string, KiteParamValue>>;

/** One request as the endpoint methods describe it. */
export interface KiteRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: KiteParams;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: KiteParams;
  /** Sent as application/json (margins and charges, §2.1). */
  readonly json?: unknown;
  /** Send the Authorization header (default true; the token exchange sends none). */
  readonly auth?: boolean;
  /** read: retried with backoff when retryable; write: sent once; order: sent once and refused after expiry. */
  readonly kind: 'read' | 'write' | 'order';
}

/** Settings of a Kite REST client. */
export interface KiteHttpOptions {
  readonly apiKey: string;
  /** REST root (default https://api.kite.trade; the simulator's restUrl in tests). */
  readonly baseUrl?: string;
  readonly accessToken?: string | null;
  /** Time source for limits, backoff and timeouts. */
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  /** Per-request timeout (default 7000 ms, as the official client). */
  readonly timeoutMs?: number;
  /** A limiter shared with other clients of the same API key; otherwise one is made from `rateLimits`. */
  readonly limiter?: RateLimiter;
  readonly rateLimits?: RateLimits;
  readonly circuitBreaker?: CircuitBreakerOptions;
  readonly backoff?: BackoffOptions;
  /** Uniform [0, 1) for backoff jitter (default Math.random). */
  readonly random?: () => number;
  readonly userAgent?: string;
  readonly logger?: Logger;
}

/** Called when Kite answers with a TokenException. */
export type SessionExpiredListener = (error: TokenException) => void;

function appendParams(target: URLSearchParams, params: KiteParams | undefined): void {
  if (params === undefined) return;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value))
      for (const v of value as readonly (string | number)[]) target.append(key, String(v));
    else target.append(key, String(value as string | number | boolean));
  }
}

/** Returns the URL of `request` under `baseUrl`, arrays as repeated keys (`/quote?i=NSE:INFY&i=NSE:SBIN`). */
export function buildKiteUrl(baseUrl: string, path: string, query?: KiteParams): string {
  const search = new URLSearchParams();
  appendParams(search, query);
  const qs = search.toString();
  return `${baseUrl.replace(/\/+$/, '')}${path}${qs === '' ? '' : `?${qs}`}`;
}

/** Returns the form body of `params` (application/x-www-form-urlencoded). */
export function encodeKiteForm(params: KiteParams): string {
  const body = new URLSearchParams();
  appendParams(body, params);
  return body.toString();
}

/** The HTTP layer of the Kite client; endpoint methods live in KiteRestClient. */
export class KiteHttp {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #breakers: Record<EndpointClass, CircuitBreaker>;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  readonly #userAgent: string;
  readonly #logger: Logger;
  readonly #listeners = new Set<SessionExpiredListener>();
  #accessToken: string | null;
  /** The token Kite rejected; order calls stay refused until a different token is set. */
  #expiredToken: string | null = null;

  /** Creates the transport. */
  constructor(options: KiteHttpOptions) {
    if (options.apiKey === '') throw new RangeError('Kite apiKey is empty');
    this.apiKey = options.apiKey;
    this.baseUrl = options.baseUrl ?? KITE_REST_URL;
    this.clock = options.clock;
    this.limiter = options.limiter ?? new RateLimiter(options.clock, options.rateLimits ?? KITE_RATE_LIMITS);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 7000;
    const breaker = options.circuitBreaker ?? DEFAULT_CIRCUIT_BREAKER;
    this.#breakers = Object.fromEntries(
      ENDPOINT_CLASSES.map((c) => [c, new CircuitBreaker(options.clock, breaker)]),
    ) as Record<EndpointClass, CircuitBreaker>;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#random = options.random ?? Math.random;
    this.#userAgent = options.userAgent ?? KITEPILOT_USER_AGENT;
    this.#logger = (options.logger ?? noopLogger).child({ component: 'kite-http' });
    this.#accessToken = options.accessToken ?? null;
  }

  /** Returns the access token in use, or null before login. */
  get accessToken(): string | null {
    return this.#accessToken;
  }

  /** Sets the access token; a token other than the rejected one lets order calls flow again. */
  setAccessToken(token: string | null): void {
    this.#accessToken = token;
    if (token !== null && token !== this.#expiredToken) this.#expiredToken = null;
  }

  /** Returns true while order calls are refused after a TokenException. */
  get sessionExpired(): boolean {
    return this.#expiredToken !== null;
  }

  /** Registers a listener for the `sessionExpired` event; returns a function that removes it. */
  on(event: 'sessionExpired', listener: SessionExpiredListener): () => void {
    if (event !== 'sessionExpired') throw new RangeError(`unknown Kite client event ${String(event)}`);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Returns the circuit breaker of `cls` (for status reporting and tests). */
  breaker(cls: EndpointClass): CircuitBreaker {
    return this.#breakers[cls];
  }

  /** Sends `request` and returns the envelope's `data`, with limits, retries (reads only) and typed errors. */
  async call<T = unknown>(request: KiteRequest): Promise<T> {
    const response = await this.#send(request, 'json');
    return response as T;
  }

  /** Sends `request` and returns the successful Response with its body unread (the instruments CSV). */
  async stream(request: KiteRequest): Promise<Response> {
    return (await this.#send(request, 'raw')) as Response;
  }

  async #send(request: KiteRequest, body: 'json' | 'raw'): Promise<unknown> {
    const info: KiteRequestInfo = { method: request.method, path: request.path };
    if (request.kind === 'order' && this.#expiredToken !== null) {
      throw new KiteSessionExpiredError({
        request: info,
        status: null,
        brokerMessage: 'order calls are stopped: the session expired; log in again to set a new access token',
      });
    }
    const cls = endpointClassOf(request.method, request.path);
    const breaker = this.#breakers[cls];
    const maxAttempts = request.kind === 'read' ? Math.max(1, this.#backoff.maxAttempts) : 1;
    for (let attempt = 1; ; attempt++) {
      if (!breaker.tryPass()) {
        throw new KiteCircuitOpenError({
          request: info,
          status: null,
          brokerMessage: `circuit for ${cls} requests is open after repeated failures; next probe in ${breaker.retryInMs()} ms`,
        });
      }
      try {
        await this.limiter.acquire(cls);
      } catch (error) {
        breaker.onNeutral();
        throw error;
      }
      try {
        const result = await this.#once(request, info, body);
        breaker.onSuccess();
        return result;
      } catch (error) {
        if (!(error instanceof KiteError)) {
          breaker.onNeutral();
          throw error;
        }
        if (error instanceof KiteRateLimitError || !error.retryable) breaker.onNeutral();
        else breaker.onFailure();
        // A TokenException on the token exchange means a bad request token, not an expired session.
        if (error instanceof TokenException && request.auth !== false) this.#expire(error);
        if (!error.retryable || attempt >= maxAttempts) throw error;
        const delay = backoffDelayMs(attempt, this.#backoff, this.#random);
        // A 429 means a window of about a second is full; waiting less would only draw another 429.
        const wait = error instanceof KiteRateLimitError ? Math.max(delay, 1000) : delay;
        this.#logger.warn(
          { path: info.path, attempt, waitMs: wait, error: error.errorType },
          'retrying Kite read',
        );
        await sleepOn(this.clock, wait);
      }
    }
  }

  #expire(error: TokenException): void {
    const first = this.#expiredToken === null;
    this.#expiredToken = this.#accessToken ?? '';
    if (first) {
      this.#logger.warn({ path: error.request?.path }, 'Kite session expired; order calls stopped');
      for (const listener of [...this.#listeners]) listener(error);
    }
  }

  async #once(request: KiteRequest, info: KiteRequestInfo, mode: 'json' | 'raw'): Promise<unknown> {
    const headers: Record<string, string> = {
      'X-Kite-Version': '3',
      'User-Agent': this.#userAgent,
    };
    if (request.auth !== false && this.#accessToken !== null) {
      headers['Authorization'] = `token ${this.apiKey}:${this.#accessToken}`;
    }
    let payload: string | undefined;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = encodeKiteForm(request.form);
    }
    const url = buildKiteUrl(this.baseUrl, request.path, request.query);
    const controller = new AbortController();
    const timer = uniqueTimerName('kite-timeout');
    let timedOut = false;
    this.clock.setTimer(timer, this.clock.now() + this.#timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    const started = this.clock.now();
    try {
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: request.method,
          headers,
          ...(payload === undefined ? {} : { body: payload }),
          signal: controller.signal,
        });
      } catch (error) {
        if (timedOut) {
          throw new KiteTimeoutError(
            { request: info, status: null, brokerMessage: `no response within ${this.#timeoutMs} ms` },
            { cause: error },
          );
        }
        throw new NetworkException(
          { request: info, status: null, brokerMessage: `request failed: ${describeCause(error)}` },
          { cause: error },
        );
      }
      this.#logger.debug(
        { method: info.method, path: info.path, status: response.status, ms: this.clock.now() - started },
        'kite',
      );
      if (response.ok && mode === 'raw') return response;
      const text = await readText(response, info, () => timedOut, this.#timeoutMs);
      const contentType = response.headers.get('content-type') ?? '';
      let parsed: unknown = text;
      if (contentType.includes('json')) {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch (error) {
          throw new DataException(
            {
              request: info,
              status: response.status,
              brokerMessage: `response is not valid JSON (${text.length} bytes)`,
            },
            { cause: error },
          );
        }
      }
      if (!response.ok) throw kiteErrorFromResponse(info, response.status, parsed, response.statusText);
      const envelope =
        typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
      if (envelope === null || envelope['status'] !== 'success') {
        throw new DataException({
          request: info,
          status: response.status,
          brokerMessage: `response is not a success envelope (content type ${JSON.stringify(contentType)})`,
        });
      }
      return envelope['data'];
    } finally {
      this.clock.cancelTimer(timer);
    }
  }
}

async function readText(
  response: Response,
  info: KiteRequestInfo,
  timedOut: () => boolean,
  timeoutMs: number,
): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (timedOut()) {
      throw new KiteTimeoutError(
        { request: info, status: response.status, brokerMessage: `body not received within ${timeoutMs} ms` },
        { cause: error },
      );
    }
    throw new NetworkException(
      {
        request: info,
        status: response.status,
        brokerMessage: `reading the body failed: ${describeCause(error)}`,
      },
      { cause: error },
    );
  }
}

/** Returns a short description of a fetch failure (undici puts the socket error in `cause`). */
export function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  return code === '' ? message : `${code} ${message}`;
}
