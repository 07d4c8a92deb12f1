// The server's observability in one call: trading metrics and alert forwarding attached to every trading
// environment put into the slot, postback metrics, job-run metrics from `job_runs`, and the AlertNotifier built from
// `[alerts]` and the secrets in the environment.
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock } from '@kitepilot/core';
import type { SqlExecutor } from '@kitepilot/store';
import type { RunningTrading } from '../trading/trading-slot.ts';
import { SlackWebhookChannel, TelegramChannel, type AlertChannel } from './alert-channels.ts';
import { AlertNotifier, type NotifiedAlert } from './alert-notifier.ts';
import { ALERT_SECRET_ENV, DEFAULT_ALERTS_CONFIG, type AlertsConfig } from './alerts-config.ts';
import { registerJobRunMetrics } from './job-run-metrics.ts';
import type { ObservedTradingSlot } from './observed-trading-slot.ts';
import { PostbackMetrics } from './postback-metrics.ts';
import { TradingObserver } from './trading-observer.ts';

/** What startObservability takes. */
export interface ObservabilityOptions {
  readonly registry: Registry;
  readonly slot: ObservedTradingSlot;
  /** Where `job_runs` is read (the store's driver). */
  readonly sql: SqlExecutor;
  /** The server's wall clock (not a demo's simulated one). */
  readonly clock: Clock;
  readonly logger: PinoLogger;
  /** The `[alerts]` section (defaults when absent). */
  readonly alerts?: AlertsConfig;
  /** The process environment (the alert secrets); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

/** The parts started, and how to stop them. */
export interface Observability {
  readonly notifier: AlertNotifier;
  readonly postbacks: PostbackMetrics;
  readonly trading: TradingObserver;
  /** Sends an alert raised outside a trading environment's bus (e.g. before it exists). */
  notify(alert: NotifiedAlert): void;
  /** Detaches from trading and stops the notifier (waiting for deliveries in flight). */
  close(): Promise<void>;
}

/** Returns the alert channels configured by `[alerts]` and the environment; logs (without secrets) what is missing. */
export function alertChannelsFrom(
  alerts: AlertsConfig,
  env: Readonly<Record<string, string | undefined>>,
  logger: PinoLogger,
  fetchImpl?: typeof fetch,
): AlertChannel[] {
  const http = {
    timeoutMs: alerts.timeoutSeconds * 1000,
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  };
  const channels: AlertChannel[] = [];
  const slack = env[ALERT_SECRET_ENV.slackWebhookUrl];
  if (slack !== undefined && slack !== '') channels.push(new SlackWebhookChannel(slack, http));
  const token = env[ALERT_SECRET_ENV.telegramBotToken];
  const chatId = alerts.telegramChatId;
  if (token !== undefined && token !== '' && chatId !== undefined) {
    channels.push(new TelegramChannel(token, { ...http, chatId, apiUrl: alerts.telegramApiUrl }));
  } else if (token !== undefined && token !== '') {
    logger.warn(
      `${ALERT_SECRET_ENV.telegramBotToken} is set but [alerts] telegramChatId is not: no Telegram alerts`,
    );
  } else if (chatId !== undefined) {
    logger.warn(
      `[alerts] telegramChatId is set but ${ALERT_SECRET_ENV.telegramBotToken} is not: no Telegram alerts`,
    );
  }
  return channels;
}

/** Starts observability (see the file comment); alerts go to the channels configured, if any. */
export function startObservability(options: ObservabilityOptions): Observability {
  const log = options.logger.child({ component: 'observability' });
  const alerts = options.alerts ?? DEFAULT_ALERTS_CONFIG;
  const channels = alertChannelsFrom(alerts, options.env ?? process.env, log, options.fetch);
  const notifier = new AlertNotifier({
    channels,
    minLevel: alerts.minLevel,
    rateLimitMs: alerts.rateLimitSeconds * 1000,
    retries: alerts.retries,
    clock: options.clock,
    logger: options.logger,
    registry: options.registry,
  });
  log.info({ channels: notifier.channels, minLevel: alerts.minLevel }, 'alert channels');
  const postbacks = new PostbackMetrics({ registry: options.registry, clock: options.clock });
  const trading = new TradingObserver({
    registry: options.registry,
    postbacks,
    onAlert: (alert, env) =>
      notifier.notify({
        level: alert.level,
        code: alert.code,
        message: alert.message,
        strategyId: alert.strategyId,
        accountId: env.accountId,
        ts: alert.ts,
      }),
  });
  registerJobRunMetrics(options.registry, options.sql, options.logger);
  let detach: (() => void) | null = null;
  const follow = (running: RunningTrading | null): void => {
    detach?.();
    detach = null;
    postbacks.expectPostbacks(false);
    if (running !== null) detach = trading.attach(running);
  };
  const stopFollowing = options.slot.observe(follow);
  return {
    notifier,
    postbacks,
    trading,
    notify: (alert) => notifier.notify(alert),
    close: async () => {
      stopFollowing();
      detach?.();
      detach = null;
      await notifier.close();
    },
  };
}
