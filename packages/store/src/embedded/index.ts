export {
  DataDirLock,
  acquireDataDirLock,
  dataDirLockPath,
  isLockHolderAlive,
  readDataDirLock,
} from './data-dir-lock.ts';
export type { AcquireDataDirLockOptions } from './data-dir-lock.ts';
export type { DataDirLockInfo } from './data-dir-lock-info.ts';
export { EmbeddedPgliteDriver } from './embedded-pglite-driver.ts';
export {
  DataDirLockInvalidError,
  DataDirLockedError,
  DataDirUnusableError,
  EmbeddedDatabaseCorruptError,
  LocalSocketUnreachableError,
} from './errors.ts';
export { LocalSocketServer, localSocketPath } from './local-socket-server.ts';
export { openEmbeddedStore, pgDataFolderName } from './open-embedded.ts';
export type {
  EmbeddedOwnerStore,
  EmbeddedSocketStore,
  EmbeddedStore,
  OpenEmbeddedStoreOptions,
} from './open-embedded.ts';
export { PgliteSocketDriver } from './pglite-socket-driver.ts';
