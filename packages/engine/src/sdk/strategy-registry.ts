// The strategies a process knows by name (built-ins and user strategies), for the CLI, the API and the server.
import { parseStrategyParams } from './parse-strategy-params.ts';
import {
  StrategyConfigError,
  type ParamValue,
  type Strategy,
  type StrategyDefinition,
  type StrategyParams,
} from './strategy.ts';

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Strategy definitions by their kebab-case name. */
export class StrategyRegistry {
  // Definitions are stored with their parameter type erased: parseStrategyParams validates before create.
  readonly #definitions = new Map<string, StrategyDefinition<StrategyParams>>();

  /** Creates a registry holding `definitions`. */
  constructor(definitions: readonly StrategyDefinition<never>[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  /** Adds a definition; throws StrategyConfigError on a malformed or repeated name. */
  register(definition: StrategyDefinition<never>): void {
    if (!NAME.test(definition.name)) {
      throw new StrategyConfigError(`strategy name ${JSON.stringify(definition.name)} must be kebab-case`);
    }
    if (this.#definitions.has(definition.name)) {
      throw new StrategyConfigError(`strategy ${definition.name} is registered twice`);
    }
    this.#definitions.set(definition.name, definition as unknown as StrategyDefinition<StrategyParams>);
  }

  /** Returns true when a strategy of that name is registered. */
  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** Returns the definition; throws StrategyConfigError listing the known names when there is none. */
  get(name: string): StrategyDefinition<StrategyParams> {
    const definition = this.#definitions.get(name);
    if (definition === undefined) {
      const known = [...this.#definitions.keys()].sort();
      throw new StrategyConfigError(
        `unknown strategy ${JSON.stringify(name)} (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
    return definition;
  }

  /** Returns every definition, by name. */
  list(): readonly StrategyDefinition<StrategyParams>[] {
    return [...this.#definitions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Parses `raw` parameters for the named strategy and returns a fresh instance with them. */
  create(
    name: string,
    raw: Readonly<Record<string, string | ParamValue>> = {},
  ): {
    readonly params: StrategyParams;
    readonly strategy: Strategy;
  } {
    const definition = this.get(name);
    const params = parseStrategyParams(definition, raw);
    return { params, strategy: definition.create(params) };
  }
}
