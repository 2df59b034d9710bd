// Why a rule is in its state, where it is shown: query, condition, window, threshold, baseline,
// observed value and the samples that decided it (a sparkline and the table). Used by the rules
// list and the alert banner.
import type { AlertEvidence } from '../../../shared/events/metric-events.ts';
import { formatDuration } from './chart-data.ts';

function Sparkline({ samples, threshold }: { samples: [number, number][]; threshold: number | null }) {
  const finite = samples.filter(([, v]) => Number.isFinite(v));
  if (finite.length < 2) return null;
  const w = 240;
  const h = 48;
  const t0 = finite[0]![0];
  const t1 = finite.at(-1)![0];
  const values = finite.map(([, v]) => v).concat(threshold === null ? [] : [threshold]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * w);
  const y = (v: number) => (hi === lo ? h / 2 : h - 2 - ((v - lo) / (hi - lo)) * (h - 4));
  const d = finite.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="metrics-sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label="The deciding samples over the window">
      {threshold !== null && <line x1={0} x2={w} y1={y(threshold)} y2={y(threshold)} stroke="var(--danger)" strokeDasharray="4 3" />}
      <path d={d} fill="none" stroke="var(--chart-1)" strokeWidth={1.5} />
    </svg>
  );
}

export function RuleExplain({ evidence }: { evidence: AlertEvidence }) {
  const samples = evidence.samples.map(([t, v]) => [t, Number(v)] as [number, number]);
  const threshold = evidence.threshold !== undefined ? Number(evidence.threshold) : null;
  return (
    <div className="metrics-explain">
      <dl className="metrics-explain__facts">
        <dt>Query</dt>
        <dd>
          <code>{evidence.query}</code> <span className="metrics-muted">on {evidence.source}</span>
        </dd>
        <dt>Condition</dt>
        <dd>{evidence.condition}</dd>
        <dt>Window</dt>
        <dd>{formatDuration(evidence.windowSeconds)}</dd>
        {evidence.threshold !== undefined && (
          <>
            <dt>Threshold</dt>
            <dd>{evidence.threshold}</dd>
          </>
        )}
        {evidence.baseline !== undefined && (
          <>
            <dt>Baseline</dt>
            <dd>{evidence.baseline}</dd>
          </>
        )}
        <dt>Observed</dt>
        <dd>{evidence.observed ?? 'no sample'}</dd>
      </dl>
      {samples.length === 0 ? (
        <p className="metrics-muted">No samples in the window: missing data is never read as passing.</p>
      ) : (
        <div className="metrics-explain__samples">
          <Sparkline samples={samples} threshold={threshold} />
          <details>
            <summary>
              The {samples.length} deciding sample{samples.length === 1 ? '' : 's'}
            </summary>
            <table className="data-table metrics-explain__table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {evidence.samples.map(([t, v]) => (
                  <tr key={t}>
                    <td>{new Date(t).toLocaleTimeString()}</td>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </div>
      )}
    </div>
  );
}
