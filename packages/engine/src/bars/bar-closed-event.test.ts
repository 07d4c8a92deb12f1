import { describe, expect, it } from 'vitest';
import { barClosedEvent, barEndMs } from './bar-closed-event.ts';
import { aTick, INFY, ist, recordingAggregator } from './bar-test-support.ts';

describe('barClosedEvent', () => {
  it('stamps tsEvent with the bar end and tsInit with the closing time', () => {
    const { agg, bars } = recordingAggregator(['5m']);
    agg.onTick(INFY, aTick(ist('2026-11-23', '09:31:00'), 150_000, 10));
    agg.onTime(ist('2026-11-23', '09:35:00', 250));
    const bar = bars[0];
    if (bar === undefined) throw new Error('expected one closed bar');
    expect(barEndMs(bar)).toBe(ist('2026-11-23', '09:35'));
    expect(barClosedEvent(bar, ist('2026-11-23', '09:35:00', 250))).toEqual({
      type: 'BarClosed',
      bar,
      tsEvent: ist('2026-11-23', '09:35'),
      tsInit: ist('2026-11-23', '09:35:00', 250),
    });
  });
});
