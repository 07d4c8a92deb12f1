// Test data of the walk-forward tests: seeded random-walk minute bars written as a CSV bar file.
import { writeFileSync } from 'node:fs';

/**
 * Writes `days` weekdays of minute bars (09:15–15:29 IST, from Monday 2025-01-06) around ₹1,500 to `path`: a
 * random walk of 5-paise steps from a linear congruential generator seeded with `seed`.
 */
export function writeRandomWalkCsv(path: string, days: number, seed = 42): void {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const lines = ['datetime,open,high,low,close,volume'];
  let price = 150_000;
  const rupees = (p: number): string => (p / 100).toFixed(2);
  let made = 0;
  for (let t = Date.UTC(2025, 0, 6); made < days; t += 86_400_000) {
    const weekday = new Date(t).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const date = new Date(t).toISOString().slice(0, 10);
    for (let m = 0; m < 375; m++) {
      const minutes = 9 * 60 + 15 + m;
      const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
      const mm = String(minutes % 60).padStart(2, '0');
      const open = price;
      const close = Math.max(100, open + Math.round((next() - 0.5) * 60) * 5);
      const high = Math.max(open, close) + Math.round(next() * 6) * 5;
      const low = Math.min(open, close) - Math.round(next() * 6) * 5;
      price = close;
      lines.push(
        `${date} ${hh}:${mm}:00,${rupees(open)},${rupees(high)},${rupees(low)},${rupees(close)},${1000 + Math.floor(next() * 5000)}`,
      );
    }
    made++;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
