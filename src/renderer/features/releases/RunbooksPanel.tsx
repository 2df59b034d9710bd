// The runbooks on a release: each run with its progress and a way into the runner, plus
// attaching a library template or importing a file straight onto the release.
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { ReleaseDetail, RunSummary } from '../../../shared/api/releases.ts';
import { isTerminal } from '../../../shared/domain/releases.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { formatDuration, formatTimeOfDay } from '../../format/time.ts';
import { useApp } from '../../state/context.tsx';
import { releasesView } from './routes.ts';

const RUN_STATE_TEXT: Record<RunSummary['state'], string> = {
  not_started: 'Not started',
  running: 'Running',
  completed: 'Completed',
  rolling_back: 'Rolling back',
  rolled_back: 'Rolled back',
};

export function RunbooksPanel({ release, readOnly }: { release: ReleaseDetail; readOnly: boolean }) {
  const navigate = useApp((s) => s.navigate);
  // The runner puts focus in its step list itself: that is where the keys work.
  const openRun = (run: string) => navigate('releases', { view: releasesView({ page: 'run', id: release.id, run }) });

  return (
    <section className="panel" aria-labelledby="release-runbooks-title">
      <h2 id="release-runbooks-title" className="panel__title">
        Runbooks
      </h2>
      {release.runs.length === 0 ? (
        <p className="panel__empty">No runbook attached yet. Attach one from the library or import a Markdown or YAML file.</p>
      ) : (
        <ul className="run-cards" role="list">
          {release.runs.map((run) => (
            <li key={run.id} className="run-card" data-testid="run-card">
              <div className="run-card__head">
                <a
                  href={`#releases/${encodeURIComponent(release.id)}/run/${encodeURIComponent(run.id)}`}
                  className="run-card__title"
                  onClick={(e) => {
                    e.preventDefault();
                    openRun(run.id);
                  }}
                >
                  {run.title}
                </a>
                <span className={`badge ${run.state === 'rolled_back' || run.state === 'rolling_back' ? 'badge--danger' : run.state === 'completed' ? 'badge--ok' : 'badge--neutral'}`}>
                  {RUN_STATE_TEXT[run.state]}
                </span>
              </div>
              <div
                className="progress"
                role="progressbar"
                aria-label={`${run.title} progress`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={run.progress.percent}
              >
                <div className="progress__bar" style={{ width: `${run.progress.percent}%` }} />
              </div>
              <p className="run-card__facts">
                {run.progress.done + run.progress.skipped} of {run.progress.total} steps ({run.progress.percent}%)
                {run.progress.skipped > 0 && ` · ${run.progress.skipped} skipped`}
                {run.progress.failed > 0 && <strong className="run-card__bad"> · {run.progress.failed} failed</strong>}
                {run.progress.eta && (run.state === 'running' || run.state === 'not_started') && ` · ETA ${formatTimeOfDay(run.progress.eta)}`}
                {run.rollback.recorded &&
                  ` · restored in ${formatDuration(run.rollback.recorded.seconds * 1000)}${run.rollback.recorded.missed ? ' (target missed)' : ''}`}
              </p>
              <button type="button" className="button button--small" onClick={() => openRun(run.id)}>
                {readOnly ? 'View the runbook' : run.state === 'not_started' ? 'Start running' : 'Open the runner'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {!readOnly && !isTerminal(release.status) && <AttachControls release={release} onAttached={openRun} />}
    </section>
  );
}

function AttachControls({ release, onAttached }: { release: ReleaseDetail; onAttached(run: string): void }) {
  const library = useApp((s) => s.runbooks.library);
  const loadLibrary = useApp((s) => s.loadLibrary);
  const attachRunbook = useApp((s) => s.attachRunbook);
  const importRunbook = useApp((s) => s.importRunbook);
  const loadRelease = useApp((s) => s.loadRelease);
  const [template, setTemplate] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const ids = { template: useId(), file: useId() };

  useEffect(() => {
    void loadLibrary();
  }, [loadLibrary]);

  const chosen = template || library?.[0]?.id || '';

  const attach = async () => {
    if (!chosen || busy) return;
    setBusy(true);
    const result = await attachRunbook({ release: release.id, template: chosen });
    setBusy(false);
    if (!result.ok) return setProblem(result.problem.message);
    setProblem(null);
    void loadRelease(release.id);
    onAttached(result.value.id);
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0];
    event.target.value = '';
    if (!picked) return;
    setBusy(true);
    const result = await importRunbook({ text: await picked.text(), name: picked.name, release: release.id });
    setBusy(false);
    if (!result.ok) return setProblem(`${picked.name}: ${result.problem.message}`);
    setProblem(null);
    void loadRelease(release.id);
    if (result.value.run) onAttached(result.value.run.id);
  };

  return (
    <div className="attach">
      <div className="field attach__template">
        <label htmlFor={ids.template}>Attach from the library</label>
        <div className="attach__row">
          <select id={ids.template} className="select" value={chosen} onChange={(e) => setTemplate(e.target.value)} disabled={!library || library.length === 0}>
            {(library ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.title} (v{t.version}, {t.steps} steps)
              </option>
            ))}
            {library?.length === 0 && <option value="">The library is empty</option>}
          </select>
          <button type="button" className="button" onClick={() => void attach()} aria-disabled={!chosen || busy || undefined}>
            Attach
          </button>
        </div>
        <span className="field__hint">The release gets a copy of the current version; later edits to the template never change it.</span>
      </div>
      <div className="field">
        <label htmlFor={ids.file}>Or import a file onto this release</label>
        <input
          ref={file}
          id={ids.file}
          className="input"
          type="file"
          accept=".md,.markdown,.txt,.yaml,.yml,text/markdown,text/plain,application/yaml"
          onChange={(e) => void importFile(e)}
        />
      </div>
      {problem && (
        <p className="notice notice--danger attach__problem" role="alert">
          <InlineCode text={problem} />
        </p>
      )}
    </div>
  );
}
