/** Thrown by a StrategyContext asked for something invalid (unknown instrument, another strategy's intent, …). */
export class StrategyContextError extends Error {
  override readonly name = 'StrategyContextError';
}
