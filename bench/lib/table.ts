/** Plain-text table of every scenario's rows: scenario | subject | value columns… | note. */
import type { Cell, ResultRow } from './scenario.js';

export interface TableRow extends ResultRow {
  scenario: string;
}

export function formatCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function renderTable(rows: TableRow[]): string {
  const valueColumns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.values)) if (!valueColumns.includes(k)) valueColumns.push(k);
  const header = ['scenario', 'subject', ...valueColumns, 'note'];
  const numeric = new Set(valueColumns.filter((c) => rows.some((r) => typeof r.values[c] === 'number')));
  const body = rows.map((r) => [
    r.scenario,
    r.subject,
    ...valueColumns.map((c) => formatCell(r.values[c])),
    r.error ? `ERROR: ${r.error}` : (r.note ?? ''),
  ]);
  // The note column is last and left unpadded, so a long error does not widen the table.
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        if (i === cells.length - 1) return cell;
        return numeric.has(header[i]) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ') + '  ----';
  return [line(header), rule, ...body.map(line)].join('\n');
}
