import { istDate, type DayInfo } from '@kitepilot/core';
import { calendarFromConfig, loadConfig } from '@kitepilot/server/config';

/** Flags of `kitepilot calendar`. */
export interface CalendarFlags {
  readonly date?: string;
  readonly config?: string;
  readonly json?: boolean;
}

const SEGMENT_LABEL: Record<string, string> = {
  equity: 'equity',
  'equity-cas': 'equity (closing-auction stocks)',
  fno: 'F&O',
};

/** `kitepilot calendar`: whether a date is an NSE trading day, the holiday's name and the sessions in IST. */
export function runCalendar(flags: CalendarFlags): void {
  const { config } = loadConfig({ file: flags.config });
  const calendar = calendarFromConfig(config);
  const date = flags.date ?? istDate(Date.now());
  const day = calendar.dayInfo(date);
  process.stdout.write(flags.json === true ? `${JSON.stringify(day)}\n` : formatDay(day));
}

/** Returns the human-readable answer of `kitepilot calendar`. */
export function formatDay(day: DayInfo): string {
  const lines: string[] = [];
  const what = day.tradingDay
    ? 'trading day'
    : day.holiday !== null
      ? `not a trading day: ${day.holiday}`
      : day.weekend
        ? 'not a trading day (weekend)'
        : 'not a trading day';
  lines.push(`${day.date} (${day.weekday}): ${what}`);
  if (day.special !== null)
    lines.push(`special session: ${day.special.name}${day.special.note ? ` (${day.special.note})` : ''}`);
  if (day.weekendHoliday !== null) lines.push(`weekend holiday: ${day.weekendHoliday}`);
  if (day.settlementHoliday && day.tradingDay)
    lines.push('settlement holiday: trades settle on the next working day');
  if (day.tradingDay && day.sessions === null) lines.push('session timings: not yet notified');
  if (day.sessions !== null) {
    for (const [segment, schedule] of Object.entries(day.sessions)) {
      if (schedule.phases.length === 0) continue;
      lines.push(
        `${SEGMENT_LABEL[segment] ?? segment}${schedule.confirmed ? '' : ' [unconfirmed timings]'} (IST):`,
      );
      for (const window of schedule.phases) {
        const name = window.subPhase ? `${window.phase} (${window.subPhase})` : window.phase;
        lines.push(`  ${window.start}–${window.end}  ${name}${window.futuresOnly ? ' — futures only' : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
