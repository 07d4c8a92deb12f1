// `npm run bench [-- <suite>… ] [--json]`: runs benchmark suites and prints a table, or with --json one JSON
// object per result (`suite`, `name`, `value`, `unit`, and any extra fields).
import { arch, cpus, totalmem } from 'node:os';
import { SUITES } from './suites/index.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const wanted = args.filter((a) => !a.startsWith('--'));

const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark suite ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ') || '(none yet)'}\n`,
  );
  process.exit(2);
}
const selected = wanted.length > 0 ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;

const machine = `${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${arch()}, node ${process.version}`;
if (!json) process.stdout.write(`machine: ${machine}\n`);
if (selected.length === 0 && !json) process.stdout.write('no benchmark suites are registered yet\n');

for (const suite of selected) {
  if (!json) process.stdout.write(`\n# ${suite.name}: ${suite.description}\n`);
  const results = await suite.run();
  for (const result of results) {
    const row = { suite: suite.name, ...result };
    if (json) {
      process.stdout.write(`${JSON.stringify(row)}\n`);
    } else {
      const extras = Object.entries(result)
        .filter(([k]) => !['name', 'value', 'unit'].includes(k))
        .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`)
        .join(' ');
      process.stdout.write(
        `${result.name.padEnd(48)} ${formatNumber(result.value).padStart(16)} ${result.unit.padEnd(10)} ${extras}\n`,
      );
    }
  }
}

function formatNumber(n: number): string {
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-IN') : n.toPrecision(4);
}
