// `kitepilot keys rotate [--new-key-file F]`: re-encrypts every stored credential (broker sessions, TOTP secrets)
// under a new master key in one transaction and replaces the key file atomically; rerun after a crash to finish an
// interrupted rotation (apps/server/src/secrets/key-rotation.ts). With KITEPILOT_MASTER_KEY set, --new-key-file is
// required and only the rows change: point the variable at the new key afterwards. Prints key ids, never keys.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { KeyRotationResult, RotationKeySource } from '@kitepilot/server';
import type { CommandIo } from './market-data-cli.ts';

/** Flags of `kitepilot keys rotate`. */
export interface KeysRotateFlags {
  /** A file holding the new key (base64 of 32 bytes, mode 0600); default a fresh random key. */
  readonly newKeyFile?: string;
  readonly config?: string;
  readonly dataDir?: string;
}

/** Returns what the command prints after a rotation. */
export function formatKeyRotation(r: KeyRotationResult, source: RotationKeySource): string {
  const what = {
    rotated: 'Rotated the master key',
    resumed: 'Finished an interrupted rotation of the master key',
    finished: 'Finished the clean-up of an interrupted rotation',
  }[r.mode];
  const counts = Object.entries(r.reencrypted)
    .map(([column, n]) => `${column} ${n}`)
    .join(', ');
  const lines = [
    `${what}: key id ${r.fromKeyIds.length === 0 ? '(no sealed rows)' : r.fromKeyIds.join(', ')} → ${r.toKeyId}.`,
    `Re-encrypted ${counts} (of ${r.rows} sealed rows) in one transaction.`,
    source.kind === 'file'
      ? `The key file ${source.path} now holds the new key; back it up and destroy copies of the old one.`
      : 'Set KITEPILOT_MASTER_KEY to the content of the new key file and restart every KitePilot process.',
  ];
  return `${lines.join('\n')}\n`;
}

/** `kitepilot keys rotate`: rotates the master key and records the rotation in the audit log. */
export async function runKeysRotate(
  flags: KeysRotateFlags,
  io: CommandIo = { write: (text) => process.stdout.write(text) },
): Promise<KeyRotationResult> {
  // Loaded when the command runs, so registering it costs nothing.
  const server = await import('@kitepilot/server');
  const { withStore } = await import('./market-data-cli.ts');
  const env = io.env ?? process.env;
  let newKey: Buffer | undefined;
  if (flags.newKeyFile !== undefined) {
    const path = resolve(flags.newKeyFile);
    const key = server.readMasterKeyFile(path);
    if (key === null) throw new Error(`--new-key-file ${path} does not exist`);
    newKey = key;
  }
  const fromEnv = (env[server.MASTER_KEY_ENV] ?? '') !== '';
  if (fromEnv && newKey === undefined) {
    throw new Error(
      `the master key comes from ${server.MASTER_KEY_ENV}: pass --new-key-file with the new key, then set ${server.MASTER_KEY_ENV} to it`,
    );
  }
  return withStore(flags, io, async (store, config) => {
    const keyOptions = {
      masterKeyFile: env['KITEPILOT_MASTER_KEY_FILE'] ?? config.secrets.masterKeyFile,
      dataDir: config.storage.dataDir,
      env,
    };
    const source: RotationKeySource = fromEnv
      ? { kind: 'env', key: server.loadMasterKey(keyOptions).key }
      : { kind: 'file', path: server.masterKeyPath(keyOptions) };
    const result = await server.rotateMasterKey({
      driver: store.driver,
      source,
      ...(newKey === undefined ? {} : { newKey }),
      onStep: (step) => io.write(`  ${step}\n`),
    });
    await store.audit.append({
      accountId: null,
      ts: Date.now(),
      kind: 'secrets.master-key-rotated',
      actor: 'cli',
      payload: {
        mode: result.mode,
        fromKeyIds: [...result.fromKeyIds],
        toKeyId: result.toKeyId,
        reencrypted: { ...result.reencrypted },
        rows: result.rows,
        source: source.kind,
      },
    });
    io.write(formatKeyRotation(result, source));
    return result;
  });
}

/** Adds `kitepilot keys rotate` to the program. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('the master key that encrypts stored credentials');
  keys
    .command('rotate')
    .description(
      're-encrypt every stored credential under a new master key (one transaction) and replace the key file; ' +
        'run it again to finish a rotation a crash interrupted',
    )
    .option('--new-key-file <file>', 'take the new key from this file (base64 of 32 bytes, mode 0600)')
    .option('--data-dir <dir>', 'embedded data directory (config storage.dataDir, default ./data)')
    .option('--config <file>', 'config file (default ./kitepilot.toml when present)')
    .action(async (flags: KeysRotateFlags) => {
      await runKeysRotate(flags);
    });
}
