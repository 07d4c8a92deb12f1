export * from './audit-anchor.ts';
export * from './audit-sink.ts';
export * from './config-change.ts';
export * from './daily-pack.ts';
export * from './trading-audit.ts';
export { auditEventRow, auditTimeBound, registerAuditRoutes } from '../http/routes/audit.ts';
export * from './audit-metrics.ts';
