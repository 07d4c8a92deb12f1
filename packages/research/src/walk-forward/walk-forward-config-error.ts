/** A walk-forward configuration that cannot run as given; the message names the setting and its value. */
export class WalkForwardConfigError extends Error {
  override readonly name = 'WalkForwardConfigError';
}
