// What trading starts with besides the configuration file: the account's active risk profile (it replaces the
// `[risk]` section) and its enabled stored strategy definitions (added after `[[trading.strategies]]`). The result
// is a configuration, so the run's stored config snapshot records the limits and strategies actually used.
import { parseAccountId } from '@kitepilot/core';
import { SqlRiskProfileRepository, SqlStrategyDefinitionRepository, type Store } from '@kitepilot/store';
import type { Config } from '../../config/config-schema.ts';
import { riskConfigOfProfile } from './risk-profile-limits.ts';
import { configuredStrategyIds, strategyParamsOf } from './stored-strategies.ts';

/** The configuration trading starts with, and where its risk limits and extra strategies came from. */
export interface StoredTradingSettings {
  readonly config: Config;
  /** The active risk profile's name, or null when the `[risk]` section applies. */
  readonly riskProfile: string | null;
  /** The ids of the stored strategies added. */
  readonly storedStrategies: readonly string[];
}

/**
 * Returns `config` with the active risk profile of `[trading] account` as its `[risk]` section and the account's
 * enabled stored strategies appended to `[[trading.strategies]]`. Throws when a stored strategy has the id of a
 * configured one (trading would refuse the duplicate anyway; this says which).
 */
export async function withStoredTradingSettings(
  config: Config,
  store: Store,
): Promise<StoredTradingSettings> {
  const accountId = parseAccountId(config.trading.account);
  const profile = await new SqlRiskProfileRepository(store.driver).getActive(accountId);
  const stored = await new SqlStrategyDefinitionRepository(store.driver).listEnabled(accountId);
  const configured = new Set(configuredStrategyIds(config));
  const clash = stored.find((s) => configured.has(s.id));
  if (clash !== undefined) {
    throw new Error(
      `stored strategy ${clash.id} has the id of a [[trading.strategies]] entry: rename one of them before starting`,
    );
  }
  return {
    config: {
      ...config,
      risk: profile === null ? config.risk : riskConfigOfProfile(profile),
      trading: {
        ...config.trading,
        strategies: [
          ...config.trading.strategies,
          ...stored.map((s) => ({ name: s.kind, id: s.id, params: strategyParamsOf(s) })),
        ],
      },
    },
    riskProfile: profile?.name ?? null,
    storedStrategies: stored.map((s) => s.id),
  };
}
