import { ConfigError } from '@kitepilot/server/config';

/** Prints an error for a person (message and its causes, no stack) and returns the exit code to use. */
export function reportError(
  error: unknown,
  write: (line: string) => void = (l) => process.stderr.write(l),
): number {
  if (error instanceof ConfigError) {
    write(`kitepilot: ${error.message}\n`);
    return 2;
  }
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    lines.push(depth === 0 ? `kitepilot: ${message}` : `  caused by: ${message}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  write(`${lines.join('\n')}\n`);
  if (process.env['KITEPILOT_DEBUG'] === '1' && error instanceof Error && error.stack)
    write(`${error.stack}\n`);
  return 1;
}
