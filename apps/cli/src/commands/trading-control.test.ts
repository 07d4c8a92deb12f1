import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStore, type CommandIo } from './market-data-cli.ts';
import { runFlatten, runKillSwitch, runTradingStatus } from './trading-control.ts';

let dir: string;
let closedPort: number;
const out: string[] = [];

/** Returns a port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function ioFor(port: number): CommandIo {
  return {
    write: (t) => out.push(t),
    env: {
      KITEPILOT_STORAGE_DATA_DIR: join(dir, 'data'),
      KITEPILOT_STORAGE_DURABLE: 'false',
      KITEPILOT_SERVER_PORT: String(port),
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kp-control-'));
  closedPort = await freePort();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kitepilot kill-switch / flatten / trading-status', () => {
  it('stores the kill switch when no server listens, and the stored state is what status shows', async () => {
    const io = ioFor(closedPort);
    const status = await runKillSwitch('on', { reason: 'maintenance' }, io);
    expect(status).toMatchObject({ running: false, applied: 'stored', controls: { killSwitch: true } });
    expect(out.splice(0).join('')).toMatch(/kill switch: ON[\s\S]*applies when trading next starts/);
    await withStore({}, io, async (store) => {
      expect((await store.tradingControls.load()).killSwitch).toBe(true);
      const audit = await store.audit.read(0, 100);
      expect(audit.find((a) => a.kind === 'trading.controls')).toMatchObject({ actor: 'cli' });
    });
    expect((await runTradingStatus({}, io)).controls.killSwitch).toBe(true);
    await runKillSwitch('off', {}, io);
    expect((await runTradingStatus({ json: true }, io)).controls.killSwitch).toBe(false);
    out.splice(0);
  });

  it('refuses a state other than on/off', async () => {
    await expect(runKillSwitch('maybe', {}, ioFor(closedPort))).rejects.toThrow(/on or off, not "maybe"/);
  });

  it('refuses to flatten without a running server and says nothing was sent', async () => {
    await expect(runFlatten({ symbol: 'NSE:INFY' }, ioFor(closedPort))).rejects.toThrow(
      /no KitePilot server answers at http:\/\/127\.0\.0\.1:\d+: flatten needs the running trading engine/,
    );
  });

  it("passes a server's error answer through with its status and message", async () => {
    let server: Server | null = null;
    try {
      server = createServer((_req, res) => {
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'no trading runs in this process' } }),
        );
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await expect(runFlatten({}, ioFor(port))).rejects.toThrow(
        /answered 409: no trading runs in this process/,
      );
    } finally {
      await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
    }
  });
});
