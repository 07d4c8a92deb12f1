import type { ModelId } from '../model/ids.ts';

/** The model file formats we can run. */
export type ModelFormat = 'xgboost-json' | 'lightgbm-text' | 'onnx' | 'linear-json';

/** What a loaded model is and expects. */
export interface ModelMetadata {
  readonly id: ModelId;
  readonly name: string;
  readonly version: string;
  readonly format: ModelFormat;
  /** Input column names, in order; the width of a feature row. */
  readonly featureNames: readonly string[];
  /** Outputs per row (1 for a regressor or binary classifier). */
  readonly outputsPerRow: number;
}

/** Runs a model on feature rows. */
export interface ModelRunner {
  readonly metadata: ModelMetadata;
  /**
   * Returns predictions, `outputsPerRow` per row, row after row. `features` is either rows of numbers
   * or one row-major Float64Array whose length is a multiple of featureNames.length.
   */
  predict(features: Float64Array | readonly (readonly number[])[]): Promise<Float64Array>;
}
