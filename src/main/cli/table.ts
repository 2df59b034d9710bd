// Plain-text tables for people (scripts use --json): columns padded to their widest cell,
// long cells cut with an ellipsis so a row stays on one terminal line.
export function table(headers: readonly string[], rows: readonly (readonly string[])[], maxCell = 48): string {
  const cut = (cell: string) => {
    const one = cell.replace(/\s+/g, ' ');
    return one.length > maxCell ? `${one.slice(0, maxCell - 1)}…` : one;
  };
  const cells = [headers.map(cut), ...rows.map((row) => row.map(cut))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** `1h30m` style, or "—" when unknown. */
export function minutes(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.abs(Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const text = h ? `${h}h${m ? `${m}m` : ''}` : m ? `${m}m` : `${s % 60}s`;
  return seconds < 0 ? `-${text}` : text;
}
