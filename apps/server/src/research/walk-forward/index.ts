export * from './walk-forward-spec.ts';
export * from './walk-forward-service.ts';
export * from './walk-forward-body.ts';
export { defaultWorkerCount, OBJECTIVES } from './walk-forward-research.ts';
