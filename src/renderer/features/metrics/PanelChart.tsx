// One panel's chart: thin recharts over chartModel(). Each series carries its own (downsampled)
// data on a numeric time axis, gaps stay gaps, animations are off for live data, the baseline is
// a shaded band, the threshold a dashed line, the deploy start and timeline events vertical
// markers whose sentence shows on hover. The benchmark page renders this same component.
import { memo, useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { BaselineView, MetricsMarker, SeriesData } from '../../../shared/api/metrics.ts';
import { chartModel, formatValue, timeTick, timeTicks } from './chart-data.ts';

export const SERIES_COLOURS = 8;

export interface PanelChartProps {
  series: readonly SeriesData[];
  baselines?: readonly BaselineView['series'][number][];
  markers?: readonly MetricsMarker[];
  threshold?: number | null;
  unit?: string;
  chart?: 'line' | 'area';
  from: number;
  to: number;
  width: number;
  height: number;
}

function colour(index: number, role?: 'canary' | 'baseline'): string {
  if (role === 'canary') return 'var(--chart-canary)';
  if (role === 'baseline') return 'var(--chart-baseline)';
  return `var(--chart-${(index % SERIES_COLOURS) + 1})`;
}

/** A marker's label: a number (or "deploy") with the full sentence as its hover title. */
function MarkerLabel({ viewBox, text, title }: { viewBox?: { x: number; y: number }; text: string; title: string }) {
  if (!viewBox) return null;
  return (
    <g className="metrics-marker-label">
      <title>{title}</title>
      <text x={viewBox.x + 3} y={viewBox.y + 22} fontSize={10} fill="var(--text-muted)">
        {text}
      </text>
    </g>
  );
}

function EdgeDot(props: { cx?: number; cy?: number; payload?: { edge?: 'top' | 'bottom' }; stroke?: string }) {
  const { cx, cy, payload, stroke } = props;
  if (cx === undefined || cy === undefined || !payload?.edge) return <g />;
  const up = payload.edge === 'top';
  const d = up ? `M${cx - 4},${cy + 6} L${cx},${cy} L${cx + 4},${cy + 6} Z` : `M${cx - 4},${cy - 6} L${cx},${cy} L${cx + 4},${cy - 6} Z`;
  return (
    <path d={d} fill={stroke ?? 'currentColor'}>
      <title>{up ? '+Inf (drawn at the top edge)' : '−Inf (drawn at the bottom edge)'}</title>
    </path>
  );
}

/**
 * Markers closer than a label's width share one line and one label ("deploy, 1–2"), so events
 * seconds apart stay readable; the hover title lists every sentence. Events are numbered in time
 * order as in the list under the grid.
 */
function markerGroups(markers: readonly MetricsMarker[], from: number, to: number, width: number) {
  const px = (at: number) => ((at - from) / Math.max(1, to - from)) * width;
  const groups: { at: number; deploy: boolean; numbers: number[]; lines: string[] }[] = [];
  let n = 0;
  for (const m of [...markers].sort((a, b) => a.at - b.at)) {
    const deploy = m.kind === 'deploy';
    const number = deploy ? 0 : ++n;
    const line = `${new Date(m.at).toLocaleString()} — ${m.label}`;
    const last = groups.at(-1);
    if (last && px(m.at) - px(last.at) < 24) {
      last.deploy ||= deploy;
      if (!deploy) last.numbers.push(number);
      last.lines.push(line);
    } else groups.push({ at: m.at, deploy, numbers: deploy ? [] : [number], lines: [line] });
  }
  return groups.map((g) => {
    const span = g.numbers.length > 1 ? `${g.numbers[0]}–${g.numbers.at(-1)}` : g.numbers.length ? String(g.numbers[0]) : '';
    return { at: g.at, deploy: g.deploy, text: [g.deploy ? 'deploy' : '', span].filter(Boolean).join(', '), title: g.lines.join('\n') };
  });
}

export const PanelChart = memo(function PanelChart(props: PanelChartProps) {
  const { series, baselines = [], markers = [], threshold = null, unit = '', chart = 'line', from, to, width, height } = props;
  const model = useMemo(() => chartModel(series, baselines, threshold, from, to), [series, baselines, threshold, from, to]);
  const span = to - from;
  const visibleMarkers = markers.filter((m) => m.at >= from && m.at <= to);

  return (
    <ComposedChart width={width} height={height} margin={{ top: 14, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="2 4" />
      <XAxis
        dataKey="t"
        type="number"
        domain={[from, to]}
        allowDataOverflow
        ticks={timeTicks(from, to, Math.max(2, Math.floor(width / 110)))}
        tickFormatter={(t: number) => timeTick(t, span)}
        stroke="var(--text-faint)"
        tick={{ fill: 'var(--text-muted)', fontSize: 11 }}
        minTickGap={40}
      />
      <YAxis
        domain={model.domain}
        allowDataOverflow
        tickCount={5}
        width={56}
        tickFormatter={(v: number) => formatValue(v)}
        stroke="var(--text-faint)"
        tick={{ fill: 'var(--text-muted)', fontSize: 11 }}
      />
      <Tooltip
        isAnimationActive={false}
        labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
        formatter={(v) => (typeof v === 'number' ? formatValue(v, unit) : Array.isArray(v) ? v.map((x) => formatValue(Number(x), unit)).join(' – ') : String(v))}
        contentStyle={{ background: 'var(--surface-raised)', border: '1px solid var(--border-strong)', color: 'var(--text)' }}
      />
      {model.bands.map((b) => (
        <Area
          key={`band-${b.key}`}
          data={b.points}
          dataKey="band"
          name="baseline band"
          type="monotone"
          stroke="none"
          fill="var(--chart-band)"
          fillOpacity={1}
          isAnimationActive={false}
          connectNulls={false}
          activeDot={false}
          legendType="none"
        />
      ))}
      {model.series.map((s, i) => {
        const drawn = {
          data: s.points,
          dataKey: 'v' as const,
          name: s.name,
          type: 'linear' as const,
          stroke: colour(i, s.role),
          strokeWidth: s.role === 'canary' ? 2.5 : 1.5,
          strokeDasharray: s.role === 'baseline' ? '5 3' : undefined,
          isAnimationActive: false,
          connectNulls: false,
          dot: s.edges.length ? <EdgeDot /> : false,
        };
        return chart === 'area' ? <Area key={s.key} {...drawn} fill={colour(i, s.role)} fillOpacity={0.15} /> : <Line key={s.key} {...drawn} />;
      })}
      {threshold !== null && (
        <ReferenceLine
          y={threshold}
          stroke="var(--danger)"
          strokeDasharray="6 4"
          ifOverflow="extendDomain"
          label={{ value: `threshold ${formatValue(threshold, unit)}`, position: 'insideTopRight', fill: 'var(--danger)', fontSize: 10 }}
        />
      )}
      {markerGroups(visibleMarkers, from, to, width).map((g) => (
        <ReferenceLine
          key={`${g.at}-${g.text}`}
          x={g.at}
          stroke={g.deploy ? 'var(--accent)' : 'var(--text-faint)'}
          strokeDasharray={g.deploy ? undefined : '2 3'}
          label={<MarkerLabel text={g.text} title={g.title} />}
        />
      ))}
    </ComposedChart>
  );
});
