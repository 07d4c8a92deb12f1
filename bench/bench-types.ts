/** One measured figure. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly [extra: string]: unknown;
}

/** A named group of measurements, selected with `npm run bench -- <name>`. */
export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchResult[]>;
}
