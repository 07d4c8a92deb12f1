export * from './kernel-strategy-context.ts';
export * from './strategy-action.ts';
export * from './strategy-context-error.ts';
export * from './strategy-host-ports.ts';
export * from './strategy-host.ts';
export * from './strategy-slot.ts';
export * from './strategy-action-queue.ts';
