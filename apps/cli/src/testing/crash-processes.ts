// Child processes for end-to-end tests that crash the platform on purpose: `kitepilot …` spawned with a clean
// environment, its output kept, killed with SIGKILL (no shutdown code runs) or stopped with SIGTERM, and every
// process still alive reaped by killAll() (call it from afterAll, so a failing test leaves nothing behind).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `kitepilot` entry point (runs the TypeScript sources through tsx). */
export const KITEPILOT_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/kitepilot.js');

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A `kitepilot` run to completion. */
export interface CommandResult extends ProcessExit {
  readonly stdout: string;
  readonly stderr: string;
}

/** Returns the caller's environment without KITEPILOT_ variables and DATABASE_URL, plus `extra`. */
export function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('KITEPILOT_') && k !== 'DATABASE_URL') env[k] = v;
  }
  return { ...env, ...extra };
}

/** Resolves with a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const live = new Set<ChildProcess>();
const OUTPUT_KEEP_CHARS = 200_000;

/** A long-running `kitepilot` process. */
export class KitepilotProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  #stdout = '';
  #stderr = '';

  /** Spawns `kitepilot args` (see spawnKitepilot). */
  constructor(name: string, args: readonly string[], env: Readonly<Record<string, string>>, cwd: string) {
    this.name = name;
    this.child = spawn(process.execPath, [KITEPILOT_BIN, ...args], { cwd, env: cleanEnv(env) });
    live.add(this.child);
    this.child.stdout?.on('data', (c: Buffer) => (this.#stdout = keepTail(this.#stdout + c.toString())));
    this.child.stderr?.on('data', (c: Buffer) => (this.#stderr = keepTail(this.#stderr + c.toString())));
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        resolveExit({ code, signal });
      });
    });
  }

  /** The process id (throws when spawning failed). */
  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`${this.name}: no process id (spawn failed)`);
    return pid;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process wrote to stdout (the last 200 000 characters). */
  get stdout(): string {
    return this.#stdout;
  }

  /** What the process wrote to stderr (the last 200 000 characters). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves once stderr matches `pattern`; rejects when the process exits first or `timeoutMs` passes. */
  async waitForStderr(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!pattern.test(this.#stderr)) {
      if (!this.running)
        throw new Error(`${this.name} exited before printing ${pattern}:\n${this.describe()}`);
      if (performance.now() > deadline) {
        throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.describe()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Sends SIGKILL from the output handler itself as soon as stdout or stderr prints `pattern` (no polling delay).
   * Resolves true when it killed the process, false when the process exited before printing it.
   */
  async killWhenPrinted(pattern: RegExp): Promise<boolean> {
    if (!this.running) return false;
    return new Promise((resolveKilled) => {
      const watch = (): void => {
        if (!pattern.test(this.#stdout) && !pattern.test(this.#stderr)) return;
        stop();
        this.child.kill('SIGKILL');
        resolveKilled(true);
      };
      const stop = (): void => {
        this.child.stdout?.off('data', watch);
        this.child.stderr?.off('data', watch);
      };
      // Registered after the constructor's listeners, so the output is already appended when `watch` runs.
      this.child.stdout?.on('data', watch);
      this.child.stderr?.on('data', watch);
      void this.exited.then(() => {
        stop();
        resolveKilled(false);
      });
      watch();
    });
  }

  /** Sends SIGKILL (no shutdown code runs: a crash) and resolves once the process is gone. */
  async kill9(): Promise<ProcessExit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Sends SIGTERM (graceful shutdown) and resolves once the process is gone. */
  async terminate(): Promise<ProcessExit> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Returns a description of the process and the tail of its output, for error messages. */
  describe(tailChars = 4000): string {
    return (
      `${this.name} (pid ${String(this.child.pid)}, exit ${String(this.child.exitCode)}/` +
      `${String(this.child.signalCode)})\n--- stderr tail ---\n${this.#stderr.slice(-tailChars)}\n` +
      `--- stdout tail ---\n${this.#stdout.slice(-tailChars)}`
    );
  }
}

function keepTail(text: string): string {
  return text.length > OUTPUT_KEEP_CHARS ? text.slice(-OUTPUT_KEEP_CHARS) : text;
}

/** Spawns a long-running `kitepilot args` in a clean environment plus `env`; killAll() reaps it. */
export function spawnKitepilot(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): KitepilotProcess {
  return new KitepilotProcess(name, args, env, cwd);
}

/** Runs `kitepilot args` to completion in a clean environment plus `env`. */
export async function runKitepilot(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): Promise<CommandResult> {
  const proc = new KitepilotProcess(args[0] ?? 'kitepilot', args, env, cwd);
  // 'close' comes after 'exit' once the pipes are drained: the output is complete then.
  const exit = await new Promise<ProcessExit>((resolveExit, reject) => {
    proc.child.once('error', reject);
    proc.child.once('close', (code, signal) => resolveExit({ code, signal }));
  });
  return { ...exit, stdout: proc.stdout, stderr: proc.stderr };
}

/** Sends SIGKILL to every process spawned here that is still alive and waits until they are gone. */
export async function killAll(): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const child of live) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    waits.push(new Promise((r) => child.once('exit', () => r())));
    child.kill('SIGKILL');
  }
  await Promise.all(waits);
  live.clear();
}
