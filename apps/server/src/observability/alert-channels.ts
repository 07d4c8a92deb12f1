// Where alerts go: a Slack incoming webhook, or a Telegram bot's sendMessage. Both URLs carry a secret (the webhook
// path, the bot token), so no error message, log line or metric label ever contains them.

/** A delivery that failed; `retryable` for timeouts, refused connections, HTTP 429 and 5xx. */
export class AlertDeliveryError extends Error {
  override name = 'AlertDeliveryError';
  readonly retryable: boolean;
  /** The HTTP status, or null when no response came. */
  readonly status: number | null;
  /** How long the service asked us to wait (HTTP 429), or null. */
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    details: { retryable: boolean; status: number | null; retryAfterMs?: number | null },
  ) {
    super(message);
    this.retryable = details.retryable;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** One place alerts are sent to. */
export interface AlertChannel {
  /** A name for logs and metric labels (never the URL). */
  readonly name: string;
  /** Sends `text`; rejects with AlertDeliveryError. */
  send(text: string): Promise<void>;
}

/** What the HTTP channels take besides their secret. */
export interface HttpChannelOptions {
  readonly timeoutMs: number;
  /** Default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

/** Posts `body` as JSON to `url`; failures become AlertDeliveryError messages naming only `what`. */
async function postJson(
  what: string,
  url: string,
  body: unknown,
  options: HttpChannelOptions,
): Promise<{ readonly status: number; readonly text: string; readonly retryAfter: string | null }> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    // The cause is not kept: undici's errors may quote the request, and the URL is a secret.
    const e = error as { name?: string; cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : (e.cause?.code ?? e.name);
    throw new AlertDeliveryError(`${what} request failed: ${why ?? 'network error'}`, {
      retryable: true,
      status: null,
    });
  }
  const text = await response.text().catch(() => '');
  return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
}

function statusError(
  what: string,
  status: number,
  detail: string,
  retryAfterMs: number | null,
): AlertDeliveryError {
  return new AlertDeliveryError(
    `${what} answered HTTP ${status}${detail === '' ? '' : `: ${detail.slice(0, 200)}`}`,
    {
      retryable: status === 429 || status >= 500,
      status,
      retryAfterMs,
    },
  );
}

function secondsToMs(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : null;
}

/** Slack incoming webhook: POST {"text": …}; Slack answers 200 "ok". */
export class SlackWebhookChannel implements AlertChannel {
  readonly name = 'slack';
  readonly #url: string;
  readonly #options: HttpChannelOptions;

  /** Posts to the webhook `url` (a secret). */
  constructor(url: string, options: HttpChannelOptions) {
    if (!/^https?:\/\//.test(url))
      throw new RangeError('the Slack webhook URL must start with http:// or https://');
    this.#url = url;
    this.#options = options;
  }

  async send(text: string): Promise<void> {
    const r = await postJson('Slack webhook', this.#url, { text }, this.#options);
    if (r.status < 200 || r.status >= 300) {
      throw statusError('Slack webhook', r.status, r.text, secondsToMs(r.retryAfter));
    }
  }
}

/** What TelegramChannel takes besides the token. */
export interface TelegramChannelOptions extends HttpChannelOptions {
  readonly chatId: string;
  /** Root of the Bot API (https://api.telegram.org). */
  readonly apiUrl: string;
}

/** Telegram bot: POST <api>/bot<token>/sendMessage {chat_id, text}; the answer is {"ok": true, …}. */
export class TelegramChannel implements AlertChannel {
  readonly name = 'telegram';
  readonly #url: string;
  readonly #options: TelegramChannelOptions;

  /** Sends with the bot `token` (a secret) to `options.chatId`. */
  constructor(token: string, options: TelegramChannelOptions) {
    if (!/^[0-9]+:[A-Za-z0-9_-]+$/.test(token)) {
      throw new RangeError('the Telegram bot token is not of the form <digits>:<letters, digits, _ or ->');
    }
    this.#url = `${options.apiUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`;
    this.#options = options;
  }

  async send(text: string): Promise<void> {
    const body = { chat_id: this.#options.chatId, text, disable_web_page_preview: true };
    const r = await postJson('Telegram sendMessage', this.#url, body, this.#options);
    let parsed: { ok?: unknown; description?: unknown; parameters?: { retry_after?: unknown } } = {};
    try {
      parsed = JSON.parse(r.text) as typeof parsed;
    } catch {
      // Not JSON (a proxy's error page): judged by the status alone below.
      parsed = {};
    }
    const description = typeof parsed.description === 'string' ? parsed.description : '';
    if (r.status < 200 || r.status >= 300) {
      const retryAfter = secondsToMs(parsed.parameters?.retry_after) ?? secondsToMs(r.retryAfter);
      throw statusError('Telegram sendMessage', r.status, description, retryAfter);
    }
    if (parsed.ok !== true) {
      throw new AlertDeliveryError(
        `Telegram sendMessage did not answer ok${description ? `: ${description}` : ''}`,
        {
          retryable: false,
          status: r.status,
        },
      );
    }
  }
}
