import { Type, type Static } from '@sinclair/typebox';

// `POST /api/config/reload`: the configuration file is read and validated again; the changes that are safe to apply
// to the running process are applied, the others are listed as needing a restart. Secrets are shown masked.

/** One changed configuration key. */
export const ConfigChangeSchema = Type.Object(
  {
    key: Type.String({ description: 'dotted key, e.g. log.level or risk.dailyLossCap' }),
    from: Type.Unknown({ description: 'the value in force (secrets masked)' }),
    to: Type.Unknown({ description: 'the value in the file (secrets masked)' }),
    applies: Type.Union([Type.Literal('live'), Type.Literal('restart')], {
      description: 'live: applied now; restart: takes effect when KitePilot restarts',
    }),
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** A changed configuration key as the API returns it. */
export type ConfigChangeBody = Static<typeof ConfigChangeSchema>;

/** `POST /api/config/reload` answer. */
export const ConfigReloadResultSchema = Type.Object(
  {
    file: Type.Union([Type.String(), Type.Null()], {
      description: 'the file read, or null when none is used',
    }),
    previousHash: Type.String({
      description:
        'SHA-256 of the configuration read before: at start or by the previous reload (secrets masked)',
    }),
    hash: Type.String({ description: 'SHA-256 of the configuration read now (secrets masked)' }),
    changes: Type.Array(ConfigChangeSchema),
    restartRequired: Type.Boolean({ description: 'true when a change takes effect only after a restart' }),
  },
  { additionalProperties: false },
);

/** The answer of `POST /api/config/reload`. */
export type ConfigReloadResultBody = Static<typeof ConfigReloadResultSchema>;
