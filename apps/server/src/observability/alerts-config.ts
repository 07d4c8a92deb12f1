// The `[alerts]` configuration section: where trading alerts are sent besides the log and the audit trail. The Slack
// webhook URL and the Telegram bot token are secrets and come only from the environment (ALERT_SECRET_ENV), never
// from the file, so that they are neither stored in the config snapshot nor logged.
import { Type, type Static } from '@sinclair/typebox';

/** The environment variables that hold the alert channels' secrets. */
export const ALERT_SECRET_ENV = {
  slackWebhookUrl: 'KITEPILOT_SLACK_WEBHOOK_URL',
  telegramBotToken: 'KITEPILOT_TELEGRAM_BOT_TOKEN',
} as const;

/** The `[alerts]` section (the integrator adds it to ConfigSchema as `alerts: AlertsConfigSchema`). */
export const AlertsConfigSchema = Type.Object(
  {
    minLevel: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')], {
      default: 'warning',
      description: 'alerts below this level are only logged and audited, not sent',
    }),
    telegramChatId: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Telegram chat id to send to (with KITEPILOT_TELEGRAM_BOT_TOKEN in the environment)',
      }),
    ),
    telegramApiUrl: Type.String({
      default: 'https://api.telegram.org',
      pattern: '^https?://',
      description: 'root of the Telegram Bot API',
    }),
    rateLimitSeconds: Type.Integer({
      default: 60,
      minimum: 1,
      maximum: 86_400,
      description:
        'the same alert (code and strategy) is sent at most once per this window; repeats are counted',
    }),
    retries: Type.Integer({
      default: 3,
      minimum: 0,
      maximum: 10,
      description: 'retries of a failed delivery (timeouts, HTTP 429 and 5xx), with exponential backoff',
    }),
    timeoutSeconds: Type.Integer({
      default: 10,
      minimum: 1,
      maximum: 120,
      description: 'timeout of one delivery request',
    }),
  },
  { additionalProperties: false },
);

/** The validated `[alerts]` section. */
export type AlertsConfig = Static<typeof AlertsConfigSchema>;

/** The `[alerts]` defaults (what a configuration without the section means). */
export const DEFAULT_ALERTS_CONFIG: AlertsConfig = {
  minLevel: 'warning',
  telegramApiUrl: 'https://api.telegram.org',
  rateLimitSeconds: 60,
  retries: 3,
  timeoutSeconds: 10,
};
