// The shell of a self-contained report page: one HTML document with its stylesheet inline, no script and no
// external resource (fonts, images, stylesheets), so it can be opened offline or mailed as one file.
import { escapeHtml } from './format.ts';

// Colours keep at least 4.5:1 contrast for text (WCAG 2.1 AA); signs are also written, never shown by colour only.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1f24;background:#fff;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 8px}
h2{font-size:1.15rem;margin:28px 0 8px;border-bottom:2px solid #d0d7de;padding-bottom:4px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0}
th,td{padding:4px 10px;border-bottom:1px solid #d8dee4;text-align:left;vertical-align:top}
thead th{background:#f3f5f7;position:sticky;top:0}
td.num,th.num{text-align:right;white-space:nowrap}
.wrap{overflow-x:auto;max-width:100%}
.pos{background:#dcf5e3;color:#0a4a1d}
.neg{background:#fbe0e0;color:#7d1010}
.zero{background:#f3f5f7}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
.meta dt{font-weight:600}
.meta dd{margin:0;word-break:break-all}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all;min-width:12em}
.long{word-break:break-word;min-width:14em;max-width:28em}
td.when{white-space:nowrap}
.note{color:#4a535d;font-size:.9rem}
.empty{color:#4a535d;font-style:italic}
pre{background:#f6f8fa;padding:12px;overflow-x:auto;font-size:.85rem}
figure{margin:8px 0}
figure svg{width:100%;height:auto;font-family:inherit}
svg .grid{stroke:#e1e5ea;stroke-width:1}
svg .axis{fill:#4a535d;font-size:11px}
svg .gain{fill:#1f883d}
svg .loss{fill:#cf222e}
svg .flat{fill:#8c959f}
.legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.swatch{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle}
`;

/** Returns a complete HTML document (lang en-IN, UTF-8, inline CSS) with `title` (escaped here) and `bodyHtml`. */
export function renderHtmlDocument(title: string, bodyHtml: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en-IN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    bodyHtml,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Returns a `<section>` with an `<h2>` heading (escaped) labelling it, and `contentHtml`. */
export function section(id: string, heading: string, contentHtml: string): string {
  const safeId = escapeHtml(id);
  return (
    `<section id="${safeId}" aria-labelledby="${safeId}-h">` +
    `<h2 id="${safeId}-h">${escapeHtml(heading)}</h2>\n${contentHtml}\n</section>`
  );
}

/** A table cell: its HTML (already escaped) and whether it holds a number (right-aligned). */
export interface Cell {
  readonly html: string;
  readonly num?: boolean;
  readonly className?: string;
}

/** Returns a table with a caption, column headers (escaped) and rows of cells; the first cell heads its row. */
export function table(
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.map((cell, index) => {
        const classes = [cell.num === true ? 'num' : '', cell.className ?? '']
          .filter((x) => x !== '')
          .join(' ');
        const attr = classes === '' ? '' : ` class="${classes}"`;
        return index === 0 ? `<th scope="row"${attr}>${cell.html}</th>` : `<td${attr}>${cell.html}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return (
    `<div class="wrap"><table><caption class="note">${escapeHtml(caption)}</caption>` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}

/** Returns a cell holding `text`, escaped. */
export function textCell(text: string, options: { num?: boolean; className?: string } = {}): Cell {
  return { html: escapeHtml(text), ...options };
}

/** Returns the CSS class for a value's sign: pos, neg or zero (none for null). */
export function signClass(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  return value > 0 ? 'pos' : value < 0 ? 'neg' : 'zero';
}
