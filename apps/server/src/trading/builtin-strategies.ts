// The strategies shipped with KitePilot, by name.
import { StrategyRegistry } from '@kitepilot/engine';
import { definition as orb } from '@kitepilot/strategy-orb';
import { definition as smaCross } from '@kitepilot/strategy-sma-cross';
import { definition as timeWindow } from '@kitepilot/strategy-time-window';
import { definition as vwapReversion } from '@kitepilot/strategy-vwap-reversion';

/** Returns a registry holding the built-in strategies (time-window, orb, vwap-reversion, sma-cross). */
export function builtinStrategies(): StrategyRegistry {
  return new StrategyRegistry([timeWindow, orb, vwapReversion, smaCross]);
}
