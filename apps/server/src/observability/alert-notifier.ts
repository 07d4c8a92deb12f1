// Sends trading alerts to Slack and/or Telegram without ever holding up the caller: notify() only files the alert;
// deliveries run in the background with retries and exponential backoff. The same alert (code and strategy) is
// sent at most once per window: a flood sends its first message, then one message per window with the count.
import type { Logger as PinoLogger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { formatIst, type Clock } from '@kitepilot/core';
import type { AlertLevel } from '@kitepilot/engine';
import { AlertDeliveryError, type AlertChannel } from './alert-channels.ts';

/** An alert to send. */
export interface NotifiedAlert {
  readonly level: AlertLevel;
  readonly code: string;
  readonly message: string;
  readonly strategyId?: string | null;
  readonly accountId?: string | null;
  /** When it was raised (epoch ms). */
  readonly ts: number;
}

/** The metric names AlertNotifier registers. */
export const ALERT_NOTIFIER_METRIC_NAMES = [
  'kitepilot_alert_notifications_total',
  'kitepilot_alert_delivery_failures_total',
  'kitepilot_alerts_suppressed_total',
] as const;

/** What AlertNotifier takes. */
export interface AlertNotifierOptions {
  readonly channels: readonly AlertChannel[];
  /** Alerts below this level are not sent. */
  readonly minLevel: AlertLevel;
  /** The window in which one alert key is sent once (ms). */
  readonly rateLimitMs: number;
  /** Retries of a retryable failure (0: none). */
  readonly retries: number;
  /** First backoff (ms, default 1000), doubled per retry up to maxBackoffMs (default 60 000). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Deliveries in flight or waiting to retry at most; beyond, new messages are dropped and counted (default 100). */
  readonly maxInFlight?: number;
  /** The server's wall clock (windows and backoff timers). */
  readonly clock: Clock;
  readonly logger: PinoLogger;
  readonly registry: Registry;
}

const LEVEL_RANK: Readonly<Record<AlertLevel, number>> = { info: 0, warning: 1, critical: 2 };
/** Telegram refuses messages over 4096 characters. */
const MAX_TEXT = 3500;

interface Window {
  suppressed: number;
  latest: NotifiedAlert;
}

/** Sends alerts to its channels in the background (see the file comment). */
export class AlertNotifier {
  readonly #o: AlertNotifierOptions;
  readonly #log: PinoLogger;
  readonly #windows = new Map<string, Window>();
  readonly #notifications: Counter<'channel' | 'outcome'>;
  readonly #failures: Counter<'channel'>;
  readonly #suppressed: Counter<'code'>;
  #busy = 0;
  #timerSeq = 0;
  readonly #retryTimers = new Set<string>();
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  /** Registers the notifier's metrics; throws on a bad option. */
  constructor(options: AlertNotifierOptions) {
    if (!(options.rateLimitMs > 0))
      throw new RangeError(`alert rate limit ${options.rateLimitMs} ms must be positive`);
    if (!Number.isInteger(options.retries) || options.retries < 0) {
      throw new RangeError(`alert retries ${options.retries} must be a whole number ≥ 0`);
    }
    this.#o = options;
    this.#log = options.logger.child({ component: 'alert-notifier' });
    const registers = [options.registry];
    this.#notifications = new Counter({
      name: 'kitepilot_alert_notifications_total',
      help: 'Alert messages by channel and outcome (sent; failed after retries; dropped when too many were pending)',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.#failures = new Counter({
      name: 'kitepilot_alert_delivery_failures_total',
      help: 'Failed delivery attempts by channel (each retry counts)',
      labelNames: ['channel'],
      registers,
    });
    this.#suppressed = new Counter({
      name: 'kitepilot_alerts_suppressed_total',
      help: 'Alerts not sent on their own because the same alert was sent within the rate-limit window',
      labelNames: ['code'],
      registers,
    });
    for (const c of options.channels) {
      for (const outcome of ['sent', 'failed', 'dropped'])
        this.#notifications.inc({ channel: c.name, outcome }, 0);
      this.#failures.inc({ channel: c.name }, 0);
    }
  }

  /** Returns the names of the channels alerts go to. */
  get channels(): readonly string[] {
    return this.#o.channels.map((c) => c.name);
  }

  /** Files an alert for sending and returns at once (below the level, or without channels, nothing is sent). */
  notify(alert: NotifiedAlert): void {
    if (this.#closed || this.#o.channels.length === 0) return;
    if (LEVEL_RANK[alert.level] < LEVEL_RANK[this.#o.minLevel]) return;
    const key = `${alert.code}|${alert.strategyId ?? ''}`;
    const window = this.#windows.get(key);
    if (window !== undefined) {
      window.suppressed += 1;
      window.latest = alert;
      this.#suppressed.inc({ code: alert.code });
      return;
    }
    this.#windows.set(key, { suppressed: 0, latest: alert });
    this.#send(formatAlert(alert));
    this.#armWindow(key);
  }

  /** Resolves when no delivery is in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops sending: cancels the windows and waiting retries (counted as failed), then waits for requests in flight. */
  async close(): Promise<void> {
    if (this.#closed) return this.idle();
    this.#closed = true;
    for (const key of this.#windows.keys()) this.#o.clock.cancelTimer(windowTimer(key));
    this.#windows.clear();
    for (const name of this.#retryTimers) {
      this.#o.clock.cancelTimer(name);
      const channel = name.split('|')[1] ?? 'unknown';
      this.#notifications.inc({ channel, outcome: 'failed' });
      this.#done();
    }
    this.#retryTimers.clear();
    return this.idle();
  }

  #armWindow(key: string): void {
    this.#o.clock.setTimer(windowTimer(key), this.#o.clock.now() + this.#o.rateLimitMs, () => {
      const window = this.#windows.get(key);
      if (window === undefined || this.#closed) return;
      if (window.suppressed === 0) {
        this.#windows.delete(key);
        return;
      }
      const seconds = Math.round(this.#o.rateLimitMs / 1000);
      const text = `${formatAlert(window.latest)}\n(${window.suppressed} more "${window.latest.code}" alert${
        window.suppressed === 1 ? '' : 's'
      } in the last ${seconds} s; the latest is shown)`;
      window.suppressed = 0;
      this.#send(text);
      this.#armWindow(key);
    });
  }

  #send(text: string): void {
    const body = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
    const max = this.#o.maxInFlight ?? 100;
    for (const channel of this.#o.channels) {
      if (this.#busy >= max) {
        this.#notifications.inc({ channel: channel.name, outcome: 'dropped' });
        this.#log.warn(
          { channel: channel.name, pending: this.#busy },
          'alert dropped: too many deliveries pending',
        );
        continue;
      }
      this.#busy += 1;
      this.#attempt(channel, body, 0);
    }
  }

  #attempt(channel: AlertChannel, text: string, attempt: number): void {
    channel.send(text).then(
      () => {
        this.#notifications.inc({ channel: channel.name, outcome: 'sent' });
        this.#done();
      },
      (error: unknown) => {
        this.#failures.inc({ channel: channel.name });
        const retryable = error instanceof AlertDeliveryError && error.retryable;
        const reason = error instanceof Error ? error.message : String(error);
        if (retryable && attempt < this.#o.retries && !this.#closed) {
          const base = this.#o.backoffMs ?? 1000;
          const backoff = Math.min(this.#o.maxBackoffMs ?? 60_000, base * 2 ** attempt);
          const waitMs = Math.max(backoff, error.retryAfterMs ?? 0);
          this.#log.info(
            { channel: channel.name, attempt: attempt + 1, waitMs, reason },
            'alert delivery retried',
          );
          const name = `alert-retry-${++this.#timerSeq}|${channel.name}`;
          this.#retryTimers.add(name);
          this.#o.clock.setTimer(name, this.#o.clock.now() + waitMs, () => {
            this.#retryTimers.delete(name);
            this.#attempt(channel, text, attempt + 1);
          });
          return;
        }
        this.#notifications.inc({ channel: channel.name, outcome: 'failed' });
        this.#log.warn({ channel: channel.name, attempts: attempt + 1, reason }, 'alert delivery failed');
        this.#done();
      },
    );
  }

  #done(): void {
    this.#busy -= 1;
    if (this.#busy === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

function windowTimer(key: string): string {
  return `alert-window|${key}`;
}

/** Returns the message text of an alert: level, code, message, who, and the time in IST. */
export function formatAlert(alert: NotifiedAlert): string {
  const who = [alert.accountId, alert.strategyId].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
  return (
    `KitePilot ${alert.level.toUpperCase()} ${alert.code}: ${alert.message}` +
    `${who.length === 0 ? '' : ` (${who.join(', ')})`} at ${formatIst(alert.ts)} IST`
  );
}
