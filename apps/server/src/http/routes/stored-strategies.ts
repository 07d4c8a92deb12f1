// Stored strategy definitions between the API, the store and trading: a request becomes a definition only when its
// kind is a registered built-in, its parameters pass that strategy's own parser (and its constructor's checks across
// parameters), and it carries a stop-loss. Each built-in expresses its stop differently, so the table below says
// where; a kind missing from it cannot be stored until someone states how its stop is set.
import type { StrategyBody } from '@kitepilot/api-contract';
import { formatIst, type InstrumentId } from '@kitepilot/core';
import {
  parseStrategyParams,
  StrategyConfigError,
  type StrategyRegistry,
  type StrategyState,
} from '@kitepilot/engine';
import { InstrumentRefError, kiteSymbol, parseInstrumentSymbol } from '@kitepilot/market-data';
import type { StoredParamValue, StoredStrategy, StoredStrategyFields } from '@kitepilot/store';
import type { Config } from '../../config/config-schema.ts';
import { strategyIdOf } from '../../trading/trading-environment.ts';

/** How a strategy kind sets its stop-loss: a parameter the definition must give, or its own rules. */
export type StopLossRule =
  | { readonly kind: 'param'; readonly param: string }
  | { readonly kind: 'rules'; readonly description: string };

/** Where each built-in strategy takes its stop-loss from (see each strategy's definition.ts). */
export const STOP_LOSS_RULES: Readonly<Record<string, StopLossRule>> = {
  'sma-cross': { kind: 'param', param: 'stopPct' },
  'vwap-reversion': { kind: 'param', param: 'stopPct' },
  'time-window': { kind: 'param', param: 'stopLossPct' },
  // orb's stop is the far side of the opening range, placed with every entry; no parameter can turn it off.
  orb: {
    kind: 'rules',
    description: 'the far side of the opening range (range low for longs, high for shorts)',
  },
};

/** Parameters that are fields of the definition itself, not of `params`. */
const DEFINITION_FIELDS = ['symbol', 'qty', 'product'] as const;

/** A definition that cannot be stored; the message names the field and the value. */
export class StrategyDefinitionError extends Error {
  override name = 'StrategyDefinitionError';
}

/** What a request gives for a definition. */
export interface StrategyRequest {
  readonly kind: string;
  readonly instrument: string;
  readonly qty: number;
  readonly product: 'MIS' | 'CNC' | 'NRML';
  readonly params: Readonly<Record<string, StoredParamValue>>;
  readonly enabled: boolean;
}

/** Returns the raw parameters a definition gives its strategy: `params` plus symbol, qty and product. */
export function strategyParamsOf(
  d: Pick<StoredStrategyFields, 'instrumentId' | 'qty' | 'product' | 'params'>,
): Record<string, StoredParamValue> {
  return { ...d.params, symbol: kiteSymbol(d.instrumentId), qty: d.qty, product: d.product };
}

/** Returns the checked fields of a request; throws StrategyDefinitionError naming what is wrong. */
export function checkStrategyRequest(
  registry: StrategyRegistry,
  request: StrategyRequest,
): StoredStrategyFields {
  if (!registry.has(request.kind)) {
    const known = registry.list().map((d) => d.name);
    throw new StrategyDefinitionError(
      `unknown strategy kind ${JSON.stringify(request.kind)} (registered: ${known.join(', ')})`,
    );
  }
  const definition = registry.get(request.kind);
  for (const field of DEFINITION_FIELDS) {
    if (Object.hasOwn(request.params, field)) {
      throw new StrategyDefinitionError(
        `params.${field} is not allowed: give ${field === 'symbol' ? 'instrument' : field} beside params`,
      );
    }
  }
  const rule = STOP_LOSS_RULES[request.kind];
  if (rule === undefined) {
    throw new StrategyDefinitionError(
      `strategy kind ${request.kind} does not state how it sets a stop-loss, so it cannot be stored (a stop-loss is mandatory)`,
    );
  }
  if (rule.kind === 'param' && !Object.hasOwn(request.params, rule.param)) {
    const spec = definition.params[rule.param];
    throw new StrategyDefinitionError(
      `a stop-loss is mandatory: set params.${rule.param} for ${request.kind}${spec === undefined ? '' : ` (${spec.description})`}`,
    );
  }
  let instrumentId: InstrumentId;
  try {
    instrumentId = parseInstrumentSymbol(request.instrument);
  } catch (error) {
    if (error instanceof InstrumentRefError)
      throw new StrategyDefinitionError(`instrument: ${error.message}`);
    throw error;
  }
  const fields: StoredStrategyFields = {
    kind: request.kind,
    instrumentId,
    qty: request.qty,
    product: request.product,
    params: { ...request.params },
    enabled: request.enabled,
  };
  try {
    // The strategy's own checks: each parameter by its spec, then the constructor's checks across parameters.
    definition.create(parseStrategyParams(definition, strategyParamsOf(fields)));
  } catch (error) {
    if (error instanceof StrategyConfigError)
      throw new StrategyDefinitionError(error.message, { cause: error });
    throw error;
  }
  return fields;
}

/** Returns the stop-loss of a definition as the API shows it. */
export function stopLossOf(registry: StrategyRegistry, d: StoredStrategyFields): StrategyBody['stopLoss'] {
  const rule = STOP_LOSS_RULES[d.kind];
  if (rule === undefined || rule.kind === 'rules') {
    return { param: null, value: null, description: rule?.description ?? 'not stated by the strategy' };
  }
  const spec = registry.has(d.kind) ? registry.get(d.kind).params[rule.param] : undefined;
  return { param: rule.param, value: d.params[rule.param] ?? null, description: spec?.description ?? '' };
}

/** Returns the API form of a stored definition and its state in the running trading (null: not running there). */
export function strategyRow(
  registry: StrategyRegistry,
  d: StoredStrategy,
  kernelState: StrategyState | null,
): StrategyBody {
  return {
    id: d.id,
    accountId: d.accountId,
    kind: d.kind,
    instrumentId: d.instrumentId,
    instrument: kiteSymbol(d.instrumentId),
    qty: d.qty,
    product: d.product,
    params: { ...d.params },
    stopLoss: stopLossOf(registry, d),
    enabled: d.enabled,
    kernelState,
    createdAt: formatIst(d.createdAt),
    updatedAt: formatIst(d.updatedAt),
  };
}

/** Returns the ids of the configuration's `[[trading.strategies]]`, as trading derives them. */
export function configuredStrategyIds(config: Config): string[] {
  return config.trading.strategies.map((s, i) =>
    strategyIdOf({ name: s.name, ...(s.id === undefined ? {} : { id: s.id }), params: s.params }, i),
  );
}
