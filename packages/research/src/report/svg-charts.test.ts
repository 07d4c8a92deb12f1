import { describe, expect, it } from 'vitest';
import { histogramSvg, lineChartSvg } from './svg-charts.ts';

const formatY = (v: number): string => v.toFixed(0);

describe('lineChartSvg', () => {
  it('draws a labelled, accessible line through every point', () => {
    const svg = lineChartSvg({
      ariaLabel: 'Equity <curve>',
      series: [{ name: 'Equity', values: [100, 120, 90, 130], color: '#0969da' }],
      formatY,
      xLabels: ['2026-01-01', '2026-01-05'],
    });
    expect(svg).toMatch(/^<svg viewBox="0 0 800 260"[^>]* role="img" aria-label="Equity &lt;curve&gt;">/);
    expect(svg).toContain('<title>Equity &lt;curve&gt;</title>');
    // four points: one move and three line segments
    const path = /<path d="(M[^"]+)" fill="none"/.exec(svg)?.[1] ?? '';
    expect(path.split(' L')).toHaveLength(4);
    expect(svg).toContain('>2026-01-01</text>');
    expect(svg).toContain('>2026-01-05</text>');
    // round y ticks: range 90..130 over 4 steps → step 10, ticks 90 … 130
    for (const tick of ['90', '100', '110', '120', '130']) expect(svg).toContain(`>${tick}</text>`);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('fills an area down to zero for the underwater chart', () => {
    const svg = lineChartSvg({
      ariaLabel: 'Drawdown',
      series: [{ name: 'Drawdown', values: [0, -5, -2], color: '#cf222e' }],
      formatY,
      xLabels: ['a', 'b'],
      area: true,
      includeZero: true,
    });
    expect(svg).toMatch(/<path d="M[^"]+Z" fill="#cf222e" fill-opacity="0.25"/);
  });

  it('draws a dot for a single point and a flat line without NaN', () => {
    const single = lineChartSvg({
      ariaLabel: 'One',
      series: [{ name: 'x', values: [5], color: '#000' }],
      formatY,
      xLabels: ['a', 'a'],
    });
    expect(single).toContain('<circle');
    const flat = lineChartSvg({
      ariaLabel: 'Flat',
      series: [{ name: 'x', values: [0, 0, 0], color: '#000' }],
      formatY,
      xLabels: ['a', 'b'],
    });
    expect(flat).not.toMatch(/NaN|Infinity/);
  });

  it('leaves out non-finite points and says so when nothing is left', () => {
    const svg = lineChartSvg({
      ariaLabel: 'Equity',
      series: [{ name: 'x', values: [1, Number.NaN, Infinity, 3], color: '#000' }],
      formatY,
      xLabels: ['a', 'b'],
    });
    expect(svg).not.toMatch(/NaN|Infinity/);
    const empty = lineChartSvg({
      ariaLabel: 'Equity <x>',
      series: [{ name: 'x', values: [], color: '#000' }],
      formatY,
      xLabels: ['a', 'b'],
    });
    expect(empty).toBe('<p class="empty">Equity &lt;x&gt;: no data to chart.</p>');
  });

  it('escapes series colours', () => {
    const svg = lineChartSvg({
      ariaLabel: 'x',
      series: [{ name: 'x', values: [1, 2], color: '"><script>' }],
      formatY,
      xLabels: ['a', 'b'],
    });
    expect(svg).not.toContain('<script>');
  });
});

describe('histogramSvg', () => {
  it('draws one bar per bin, coloured by the sign of the bin, with a tooltip', () => {
    const svg = histogramSvg({
      ariaLabel: 'P&L',
      bins: [
        { fromPaise: -200, toPaise: -1, count: 3 },
        { fromPaise: 0, toPaise: 0, count: 1 },
        { fromPaise: 1, toPaise: 200, count: 2 },
      ],
      formatEdge: (p) => String(p),
    });
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('<rect class="loss"');
    expect(svg).toContain('<rect class="flat"');
    expect(svg).toContain('<rect class="gain"');
    expect(svg).toContain('<title>-200 to -1: 3 trades</title>');
    expect(svg).toContain('<title>0 to 0: 1 trade</title>');
    expect(svg).toContain('aria-label="P&amp;L"');
    // whole-number count ticks only: 0, 1, 2, 3 (the maximum)
    expect(svg).not.toMatch(/>\d+\.\d+<\/text>/);
  });

  it('says so when there are no bins', () => {
    expect(histogramSvg({ ariaLabel: 'P&L', bins: [], formatEdge: String })).toBe(
      '<p class="empty">P&amp;L: no data to chart.</p>',
    );
  });
});
