// The walk-forward parts of @kitepilot/research, reached by path until the package's index exports them; then this
// file becomes `export * from '@kitepilot/research';` (or its importers import the package directly).
export * from '../../../../../packages/research/src/walk-forward/index.ts';
