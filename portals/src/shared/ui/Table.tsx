import type { ReactNode } from "react";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

export function Table<T>({ caption, columns, rows, rowKey, empty = "Nothing here yet." }: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty?: string;
}) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? "numeric" : undefined}>{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">{empty}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.header} data-label={c.header} className={c.numeric ? "numeric" : undefined}>{c.cell(row)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Offset pages ({ items, total, limit, offset }): previous / next and where we are. */
export function Pager({ total, limit, offset, onOffset }: { total: number; limit: number; offset: number; onOffset: (offset: number) => void }) {
  if (total <= limit && offset === 0) return null;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>Previous</button>
      <span aria-live="polite">{total === 0 ? "0" : `${offset + 1}–${last}`} of {total}</span>
      <button type="button" className="button" disabled={last >= total} onClick={() => onOffset(offset + limit)}>Next</button>
    </nav>
  );
}

/** Keyset pages ({ items, next }): a trail of cursors, so Previous returns to the page before. */
export function KeysetPager({ trail, next, onChange }: { trail: string[]; next: string | null | undefined; onChange: (trail: string[]) => void }) {
  if (!next && trail.length === 0) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button" disabled={trail.length === 0} onClick={() => onChange(trail.slice(0, -1))}>Previous</button>
      <span>Page {trail.length + 1}</span>
      <button type="button" className="button" disabled={!next} onClick={() => next && onChange([...trail, next])}>Next</button>
    </nav>
  );
}
