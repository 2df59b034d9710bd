// The stabilization session: start it (24 h, 72 h or custom) while deploying, then a countdown
// that ticks every second in its own component (charts never re-render for it), the exit
// criteria, shift hand-offs and Close, disabled with the open criteria named until all are met.
import { useState } from 'react';
import type { MetricsViewData, StabilizationView } from '../../../shared/api/metrics.ts';
import { DEFAULT_EXIT_CRITERIA, STABILIZATION_PRESETS_HOURS } from '../../../shared/metrics/model.ts';
import { formatDateTime } from '../../format/time.ts';
import { useNow } from '../../hooks/useNow.ts';
import { useClient } from '../../state/context.tsx';
import { formatCountdown } from './chart-data.ts';
import { Field } from './EditorDialog.tsx';

type Act = (run: () => Promise<unknown>) => Promise<string | null>;

export function StabilizationPanel({ view, act, readOnly }: { view: MetricsViewData; act: Act; readOnly: boolean }) {
  const s = view.stabilization;
  const release = view.release.id;
  if (!s) {
    if (view.release.status !== 'deploying') return null;
    return readOnly ? null : <StartForm release={release} act={act} />;
  }
  return (
    <section className="panel metrics-stab" aria-labelledby="stab-title" data-testid="stabilization">
      <h2 id="stab-title" className="panel__title">
        Stabilization {s.closed ? <span className="badge badge--ok">closed</span> : null}
      </h2>
      {!s.closed && <Countdown endsAt={s.endsAt} />}
      <p className="metrics-muted">
        {formatDateTime(s.startedAt)} → {formatDateTime(s.endsAt)} ({Math.round(s.durationSeconds / 3600)} h)
        {s.closed && (
          <>
            {' '}
            · closed by {s.closed.by.name} {formatDateTime(s.closed.at)}
            {s.closed.note ? `: ${s.closed.note}` : ''}
          </>
        )}
      </p>
      <Criteria s={s} release={release} act={act} readOnly={readOnly || s.closed !== null} />
      <Handoffs s={s} release={release} act={act} readOnly={readOnly || s.closed !== null} />
      {!s.closed && !readOnly && <CloseForm s={s} release={release} act={act} />}
    </section>
  );
}

function StartForm({ release, act }: { release: string; act: Act }) {
  const client = useClient();
  const [hours, setHours] = useState<string>('24');
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    const h = hours === 'custom' ? Number(custom) : Number(hours);
    if (!Number.isFinite(h) || h <= 0) return setError('Write the period in hours, e.g. 48.');
    setError(await act(() => client.call('stabilization.start', { release, durationSeconds: Math.round(h * 3600), criteria: [...DEFAULT_EXIT_CRITERIA] })));
  };
  return (
    <section className="panel metrics-stab" aria-labelledby="stab-start">
      <h2 id="stab-start" className="panel__title">
        Stabilization
      </h2>
      <p>The release is deploying. Start the watch period: a countdown, exit criteria and shift hand-offs.</p>
      <form
        className="metrics-stab__start"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset className="metrics-radios">
          <legend>Period</legend>
          {STABILIZATION_PRESETS_HOURS.map((h) => (
            <label key={h}>
              <input type="radio" name="stab-hours" value={h} checked={hours === String(h)} onChange={() => setHours(String(h))} /> {h} h
            </label>
          ))}
          <label>
            <input type="radio" name="stab-hours" value="custom" checked={hours === 'custom'} onChange={() => setHours('custom')} /> custom
          </label>
          {hours === 'custom' && <input className="input metrics-stab__hours" aria-label="Hours" inputMode="numeric" value={custom} onChange={(e) => setCustom(e.target.value)} autoFocus />}
        </fieldset>
        <button type="submit" className="button button--primary">
          Start stabilization
        </button>
      </form>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Re-renders only itself once a second. */
function Countdown({ endsAt }: { endsAt: string }) {
  const now = useNow(1000);
  const left = (Date.parse(endsAt) - now) / 1000;
  return (
    <p className="metrics-countdown" data-testid="stabilization-countdown" aria-live="off">
      {left > 0 ? (
        <>
          <span className="metrics-countdown__time">{formatCountdown(left)}</span> left
        </>
      ) : (
        <span className="metrics-countdown__time">period over — close when the criteria are met</span>
      )}
    </p>
  );
}

function Criteria({ s, release, act, readOnly }: { s: StabilizationView; release: string; act: Act; readOnly: boolean }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <h3 className="metrics-subtitle">Exit criteria</h3>
      <ul className="metrics-criteria">
        {s.criteria.map((c) => (
          <li key={c.id}>
            <label className="metrics-check">
              <input
                type="checkbox"
                checked={c.done}
                disabled={readOnly}
                onChange={(e) => void act(() => client.call('stabilization.check', { release, criterion: c.id, done: e.target.checked })).then(setError)}
              />{' '}
              {c.text}
            </label>
            {c.done && c.by && (
              <span className="metrics-muted">
                {' '}
                — {c.by.name}
                {c.at ? `, ${formatDateTime(c.at)}` : ''}
                {c.note ? `: ${c.note}` : ''}
              </span>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function Handoffs({ s, release, act, readOnly }: { s: StabilizationView; release: string; act: Act; readOnly: boolean }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ from: '', to: '', notes: '', watch: '' });
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const problem = await act(() =>
      client.call('stabilization.handoff', { release, from: form.from, to: form.to, notes: form.notes, ...(form.watch.trim() ? { watch: form.watch } : {}) }),
    );
    setError(problem);
    if (!problem) {
      setOpen(false);
      setForm({ from: '', to: '', notes: '', watch: '' });
    }
  };
  return (
    <div>
      <h3 className="metrics-subtitle">Shift hand-offs</h3>
      {s.handoffs.length === 0 ? (
        <p className="metrics-muted">No hand-off yet.</p>
      ) : (
        <ol className="metrics-handoffs">
          {s.handoffs.map((h) => (
            <li key={h.id}>
              <strong>
                {h.from} → {h.to}
              </strong>{' '}
              <span className="metrics-muted">{formatDateTime(h.at)}</span>
              <p>{h.notes}</p>
              {h.watch && <p className="metrics-muted">Watch: {h.watch}</p>}
            </li>
          ))}
        </ol>
      )}
      {!readOnly &&
        (open ? (
          <form
            className="metrics-handoff-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
            }}
          >
            <div className="metrics-editor__row">
              <Field label="From">
                <input className="input" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} autoFocus />
              </Field>
              <Field label="To">
                <input className="input" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
              </Field>
            </div>
            <Field label="Notes">
              <textarea className="textarea" rows={3} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
            </Field>
            <Field label="What to watch (optional)">
              <input className="input" value={form.watch} onChange={(e) => setForm({ ...form, watch: e.target.value })} />
            </Field>
            <div className="toolbar">
              <button type="submit" className="button button--primary">
                Record hand-off
              </button>
              <button type="button" className="button button--quiet" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
            {error && (
              <p className="field__error" role="alert">
                {error}
              </p>
            )}
          </form>
        ) : (
          <button type="button" className="button button--small" onClick={() => setOpen(true)}>
            Hand off the shift
          </button>
        ))}
    </div>
  );
}

function CloseForm({ s, release, act }: { s: StabilizationView; release: string; act: Act }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const blocked = s.blockers.length > 0;
  return (
    <div className="metrics-stab__close">
      <button
        type="button"
        className="button button--primary"
        aria-disabled={blocked || undefined}
        aria-describedby={blocked ? 'stab-blockers' : undefined}
        onClick={() => {
          if (!blocked) void act(() => client.call('stabilization.close', { release })).then(setError);
        }}
      >
        Close stabilization
      </button>
      {blocked && (
        <div id="stab-blockers">
          <p className="metrics-muted">Closing needs every exit criterion met:</p>
          <ul className="metrics-stab__blockers">
            {s.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
