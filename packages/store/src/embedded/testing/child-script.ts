import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A helper script run as a child process, with its output collected line by line. */
export interface ChildScript {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Lines the child printed on stdout so far. */
  readonly lines: string[];
  /** Resolves with the first stdout line matching `pattern`; rejects when the child exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (or the signal name) once the child has exited. */
  readonly exited: Promise<number | string>;
  /** Sends SIGKILL when the child still runs. */
  kill(): void;
}

const running = new Set<ChildScript>();

/** Starts `node --import tsx <testing/script>` with `args`; the child is tracked until `killAllChildScripts`. */
export function startChildScript(script: string, args: readonly string[]): ChildScript {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${path}`);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(
            `${script} exited (${code ?? signal}) before printing ${waiter.pattern}; stdout: ${lines.join(' | ')}; stderr: ${stderr.slice(-2000)}`,
          ),
        );
      }
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const handle: ChildScript = {
    process: child,
    pid: child.pid,
    lines,
    exited,
    waitForLine(pattern) {
      const found = lines.find((line) => pattern.test(line));
      if (found !== undefined) return Promise.resolve(found);
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(
          new Error(`${script} has exited; stdout: ${lines.join(' | ')}; stderr: ${stderr}`),
        );
      }
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Kills every child started by `startChildScript` and waits for them to exit (call it in `afterEach`). */
export async function killAllChildScripts(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill();
  await Promise.all(children.map((child) => child.exited));
}
