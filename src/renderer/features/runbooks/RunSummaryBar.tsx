// Where the run stands at a glance: overall progress, ETA from the remaining expected durations,
// what waits and what overruns — and, once decided, the rollback clock against its target.
import type { RunDetail } from '../../../shared/api/runbooks.ts';
import { formatDuration, formatSeconds, formatTimeOfDay } from '../../format/time.ts';

const STATE_TEXT: Record<RunDetail['state'], string> = {
  not_started: 'Not started',
  running: 'Running',
  completed: 'Completed',
  rolling_back: 'Rolling back',
  rolled_back: 'Rolled back',
};

interface Props {
  /** The run advanced to now (see run-live.ts). */
  run: RunDetail;
}

export function RunSummaryBar({ run }: Props) {
  const p = run.progress;
  const settled = p.done + p.skipped;
  // The ETA of what is being worked on: the plan, or once decided, the rollback; none when over.
  const eta = run.state === 'rolling_back' ? run.rollback.progress : run.state === 'completed' || run.state === 'rolled_back' ? null : p;
  return (
    <>
      <section className="run-summary panel" aria-label="Run progress" data-testid="run-summary">
        <div className="run-summary__progress">
          <div className="run-summary__line">
            <strong data-testid="run-state">{STATE_TEXT[run.state]}</strong>
            <span data-testid="run-progress-text">
              {settled} of {p.total} steps ({p.percent}%)
            </span>
          </div>
          <div className="progress" role="progressbar" aria-label="Steps done or skipped" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.percent}>
            <div className="progress__bar" style={{ width: `${p.percent}%` }} />
          </div>
          <ul className="run-summary__counts">
            <li>{p.done} done</li>
            {p.inProgress > 0 && <li>{p.inProgress} in progress</li>}
            {p.skipped > 0 && <li className="run-summary__warn">{p.skipped} skipped</li>}
            {p.failed > 0 && <li className="run-summary__bad">{p.failed} failed</li>}
            {p.blocked > 0 && <li className="run-summary__bad">{p.blocked} blocked</li>}
            {p.waiting > 0 && <li>{p.waiting} waiting on earlier steps</li>}
            {p.overrunning.length > 0 && <li className="run-summary__bad">over time: step {p.overrunning.join(', ')}</li>}
          </ul>
        </div>
        {eta && (
          <dl className="run-summary__eta">
            <div>
              <dt>{run.state === 'rolling_back' ? 'Restored by' : 'ETA'}</dt>
              <dd data-testid="run-eta">{eta.eta ? formatTimeOfDay(eta.eta) : '—'}</dd>
            </div>
            <div>
              <dt>Remaining</dt>
              <dd>
                {eta.remaining > 0 ? `about ${formatSeconds(Math.round(eta.remaining / 60) * 60 || eta.remaining)}` : '—'}
                {eta.unestimated > 0 && <span className="run-summary__faint"> + {eta.unestimated} unestimated</span>}
              </dd>
            </div>
          </dl>
        )}
      </section>
      {run.rollback.started && <RollbackBanner run={run} />}
    </>
  );
}

function RollbackBanner({ run }: { run: RunDetail }) {
  const clock = run.rollback;
  const target = run.rollback.target;
  const finished = run.rollback.finishedAt !== null;
  const missed = clock.missed === true;
  const rp = run.rollback.progress;
  return (
    <section
      className={`rollback-banner${missed ? ' rollback-banner--missed' : ''}${finished && !missed ? ' rollback-banner--ok' : ''}`}
      aria-label="Rollback"
      data-testid="rollback-banner"
    >
      <div>
        <strong>{finished ? 'Rollback finished' : 'Rolling back'}</strong> — {run.rollback.started?.reason}
        <span className="rollback-banner__who">
          {' '}
          (decided by {run.rollback.started?.by.name} at {run.rollback.started ? formatTimeOfDay(run.rollback.started.at) : ''})
        </span>
      </div>
      <div className="rollback-banner__clock" data-testid="rollback-clock">
        <span className="rollback-banner__elapsed">{formatDuration((clock.elapsed ?? 0) * 1000)}</span>
        {target !== null ? (
          <span>
            {' '}
            of the {formatSeconds(target)} time-to-restore target ·{' '}
            {missed ? (
              <strong>target missed by {formatDuration(((clock.elapsed ?? 0) - target) * 1000)}</strong>
            ) : finished ? (
              'within target'
            ) : (
              `${formatDuration((clock.remaining ?? 0) * 1000)} left`
            )}
          </span>
        ) : (
          <span> elapsed (no time-to-restore target set)</span>
        )}
        <span className="rollback-banner__steps">
          {' '}
          · {rp.done + rp.skipped} of {rp.total} rollback steps
        </span>
      </div>
    </section>
  );
}
