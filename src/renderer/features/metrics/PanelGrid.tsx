// The panel grid: small multiples, one card per panel with its title, unit, state (an error keeps
// the last good data drawn under its message), the change against baseline, legend and chart.
// The grid measures its column width so each panel asks for as many points as it has pixels.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { MetricsMarker, PanelView } from '../../../shared/api/metrics.ts';
import { formatDateTime } from '../../format/time.ts';
import { formatChange } from './chart-data.ts';
import { PanelChart, SERIES_COLOURS } from './PanelChart.tsx';
import { usePanelSeries, type SeriesStore } from './use-metrics.ts';

const STATE_TEXT: Record<PanelView['state'], string> = { ok: 'ok', no_data: 'no data', error: 'error', never: 'never queried' };
const STATE_TONE: Record<PanelView['state'], string> = { ok: 'ok', no_data: 'warn', error: 'danger', never: 'neutral' };
export const CHART_HEIGHT = 200;

/**
 * Width in px of one panel's plot; the chart is drawn at exactly that size. A callback ref, so the
 * grid is measured whenever it appears (it does not exist while the view loads or has no panels).
 */
export function useColumnWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const measure = () => {
      const plot = el.querySelector<HTMLElement>('.metrics-card__plot');
      const w = Math.floor(plot?.clientWidth ?? el.clientWidth);
      setWidth((old) => (Math.abs(old - w) > 4 ? w : old));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return [setEl, width];
}

export function PanelGrid(props: {
  panels: PanelView[];
  store: SeriesStore;
  markers: MetricsMarker[];
  width: number;
  gridRef: (el: HTMLDivElement | null) => void;
  onEdit?(panel: PanelView): void;
}) {
  const { panels, store, markers, width, gridRef, onEdit } = props;
  return (
    <div className="metrics-grid" ref={gridRef}>
      {panels.map((p) => (
        <PanelCard key={p.doc.id} panel={p} store={store} markers={markers} width={width} {...(onEdit ? { onEdit } : {})} />
      ))}
    </div>
  );
}

function PanelCard({ panel, store, markers, width, onEdit }: { panel: PanelView; store: SeriesStore; markers: MetricsMarker[]; width: number; onEdit?(p: PanelView): void }) {
  const { series, bands } = usePanelSeries(store, panel.doc.id);
  const from = useStore(store, (s) => s.from);
  const to = useStore(store, (s) => s.to);
  const doc = panel.doc;
  const threshold = doc.threshold !== undefined ? Number(doc.threshold) : null;
  const changes = bands.filter((b) => b.changePercent !== null);
  const hasPoints = series.some((s) => s.points.some((p) => p[1] !== null));
  const titleId = `panel-${doc.id}-title`;

  return (
    <article className={`metrics-card metrics-card--${panel.state}`} aria-labelledby={titleId} data-panel={doc.id}>
      <header className="metrics-card__head">
        <h3 id={titleId} className="metrics-card__title">
          {doc.title}
          {doc.unit && <span className="metrics-muted"> · {doc.unit}</span>}
        </h3>
        <span className={`badge badge--${STATE_TONE[panel.state]}`} data-testid="panel-state">
          {STATE_TEXT[panel.state]}
        </span>
        {onEdit && (
          <button type="button" className="button button--quiet button--small" onClick={() => onEdit(panel)} aria-label={`Edit panel ${doc.title}`}>
            Edit
          </button>
        )}
      </header>
      {panel.state === 'error' && panel.message && (
        <p className="metrics-card__error" role="status">
          {panel.message}
          {panel.lastGoodAt && <span className="metrics-muted"> · showing data up to {formatDateTime(panel.lastGoodAt)}</span>}
        </p>
      )}
      {changes.length > 0 && (
        <p className="metrics-card__change">
          {changes.map((c) => (
            <span key={c.key} className={Math.abs(c.changePercent ?? 0) >= 10 ? 'metrics-change--big' : undefined}>
              {formatChange(c.changePercent ?? 0)}
              {changes.length > 1 ? ` (${series.find((s) => s.key === c.key)?.name ?? c.key})` : ''}
            </span>
          ))}
        </p>
      )}
      <div className="metrics-card__plot" style={{ height: CHART_HEIGHT }}>
        {width > 0 && series.length > 0 && (
          <PanelChart
            series={series}
            baselines={bands}
            markers={markers}
            threshold={threshold}
            unit={doc.unit}
            chart={doc.chart}
            from={from}
            to={to}
            width={width}
            height={CHART_HEIGHT}
          />
        )}
        {!hasPoints && (
          <p className="metrics-card__empty">
            {panel.state === 'never' ? 'Not queried yet: the first refresh fills this panel.' : panel.state === 'error' ? 'No data kept from before the error.' : 'No data in this range yet.'}
          </p>
        )}
      </div>
      {series.length > 0 && (
        <ul className="metrics-legend" aria-label={`Series of ${doc.title}`}>
          {series.map((s, i) => (
            <li key={s.key} className={s.role ? `metrics-legend--${s.role}` : undefined}>
              <span className="metrics-legend__swatch" style={{ background: s.role ? `var(--chart-${s.role})` : `var(--chart-${(i % SERIES_COLOURS) + 1})` }} aria-hidden="true" />
              {s.name}
              {s.role && <span className="metrics-muted"> ({s.role})</span>}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
