/** The JSON record in `<dataDir>/kitepilot.lock`: who owns the embedded data directory. */
export interface DataDirLockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** ISO-8601 UTC time at which the holder took the lock. */
  readonly startedAt: string;
  /** Unix socket through which other processes reach the holder's database; null when it serves none. */
  readonly socketPath: string | null;
  /** KitePilot version of the holder. */
  readonly version: string;
}

/** Returns the record when `value` has every lock field with the right type, else a reason it does not. */
export function parseDataDirLockInfo(value: unknown): DataDirLockInfo | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'content is not a JSON object';
  const v = value as Record<string, unknown>;
  if (typeof v['pid'] !== 'number' || !Number.isSafeInteger(v['pid']) || v['pid'] <= 0) {
    return `pid ${JSON.stringify(v['pid'])} is not a positive integer`;
  }
  if (typeof v['hostname'] !== 'string' || v['hostname'] === '') return 'hostname is missing';
  if (typeof v['startedAt'] !== 'string' || Number.isNaN(Date.parse(v['startedAt']))) {
    return `startedAt ${JSON.stringify(v['startedAt'])} is not an ISO time`;
  }
  if (v['socketPath'] !== null && typeof v['socketPath'] !== 'string')
    return 'socketPath is neither a string nor null';
  if (typeof v['version'] !== 'string') return 'version is missing';
  return {
    pid: v['pid'],
    hostname: v['hostname'],
    startedAt: v['startedAt'],
    socketPath: v['socketPath'],
    version: v['version'],
  };
}
