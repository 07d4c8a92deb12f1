export * from './tick-replay.ts';
export { storedTickTime, TickPageCursor } from './tick-page-cursor.ts';
