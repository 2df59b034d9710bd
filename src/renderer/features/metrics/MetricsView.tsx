// Metrics: pick a release (remembered per machine; #metrics/<release id> in the address), then
// its live dashboard — header with status, deploy start, live/paused and the range, the panel
// grid, the alert rules, the stabilization session and the editors. Keys: L live/pause,
// R refresh now, A add panel.
import { useEffect, useState } from 'react';
import { RANGE_PRESETS, type MetricsViewData, type PanelView, type RangePreset, type RuleStatus, type SourceSummary } from '../../../shared/api/metrics.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { MetricsIcon } from '../../components/icons.tsx';
import { ReleasePicker as SharedReleasePicker } from '../../components/ReleasePicker.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { formatDateTime } from '../../format/time.ts';
import { isTextEntry } from '../../shell/keys.ts';
import { useApp, useClient } from '../../state/context.tsx';
import { DashboardEditor, PanelEditor, ReadingEditor, RuleEditor, SourceEditor } from './Editors.tsx';
import { PanelGrid, useColumnWidth } from './PanelGrid.tsx';
import { RulesList } from './RulesList.tsx';
import { StabilizationPanel } from './StabilizationPanel.tsx';
import { useMetrics } from './use-metrics.ts';
import './metrics.css';

/** `#metrics/all` is the picker even when a release is remembered. */
const PICKER = 'all';
const RANGE_TEXT: Record<RangePreset, string> = { since_deploy: 'Since deploy', '1h': '1 h', '6h': '6 h', '24h': '24 h', '72h': '72 h' };
const LIVE_STATUSES = new Set(['deploying', 'stabilizing']);

export function MetricsView() {
  const view = useApp((s) => s.view);
  const remembered = useApp((s) => s.metricsRelease);
  const path = decodeURIComponent(view.split('/')[0] ?? '');
  const release = path === PICKER ? '' : path || remembered || '';
  return release ? <MetricsPage key={release} release={release} /> : <ReleasePicker />;
}

function ReleasePicker() {
  const navigate = useApp((s) => s.navigate);
  const choose = useApp((s) => s.chooseMetricsRelease);
  return (
    <SharedReleasePicker
      section="metrics"
      summary="Choose the release to watch; deploying and stabilizing releases come first."
      first={(r) => LIVE_STATUSES.has(r.status)}
      onChoose={(r) => {
        choose(r.id);
        navigate('metrics', { view: encodeURIComponent(r.id) });
      }}
      empty={
        <SectionPage id="metrics" summary="Post-deployment health against baselines.">
          <EmptyState
            icon={<MetricsIcon size={28} />}
            title="No release to watch"
            capabilities={[
              'Connect Prometheus, a file feed or manual readings and chart them against a baseline.',
              'Set rules such as “error rate > 2 % for 5 min”; a firing rule raises a banner with a one-click rollback.',
              'Run the stabilization session: countdown, exit criteria and shift hand-offs.',
            ]}
            hint={<ShortcutHint id="metrics" />}
          >
            <p>Plan a release in Releases; its metrics appear here once chosen.</p>
          </EmptyState>
        </SectionPage>
      }
    />
  );
}

type Editing =
  | { kind: 'source'; existing?: SourceSummary }
  | { kind: 'panel'; existing?: PanelView }
  | { kind: 'rule'; existing?: RuleStatus }
  | { kind: 'reading' }
  | { kind: 'dashboard'; mode: 'save' | 'apply' }
  | null;

function MetricsPage({ release }: { release: string }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const choose = useApp((s) => s.chooseMetricsRelease);
  const readOnly = useApp((s) => s.info?.access === 'read');
  const [live, setLive] = useState(true);
  const [range, setRange] = useState<RangePreset>('since_deploy');
  const [gridRef, width] = useColumnWidth();
  const points = Math.max(10, Math.min(1000, width || 600));
  const { view, problem, seriesStore, act } = useMetrics(release, { live, range, points });
  const [editing, setEditing] = useState<Editing>(null);
  const [refreshProblem, setRefreshProblem] = useState<string | null>(null);
  const back = {
    label: 'All releases',
    onClick: () => navigate('metrics', { view: PICKER }),
  };

  useEffect(() => {
    if (view) choose(view.release.id);
  }, [view?.release.id, choose]); // eslint-disable-line react-hooks/exhaustive-deps

  const refresh = () =>
    void client
      .call('metrics.refresh', { release })
      .then(() => setRefreshProblem(null))
      .catch((e: unknown) => setRefreshProblem(e instanceof Error ? e.message : String(e)));

  // The core refreshes live releases itself when `refreshMs` is set; otherwise this page asks.
  const selfRefresh = live && !readOnly && view !== null && view.refreshMs === 0 && LIVE_STATUSES.has(view.release.status);
  useEffect(() => {
    if (!selfRefresh) return;
    const timer = window.setInterval(refresh, 15_000);
    return () => window.clearInterval(timer);
  }, [selfRefresh]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTextEntry(event.target) || document.querySelector('dialog[open]')) return;
      const key = event.key.toLowerCase();
      if (key === 'l') setLive((l) => !l);
      else if (key === 'r' && !readOnly) refresh();
      else if (key === 'a' && !readOnly && view && view.sources.length > 0) setEditing({ kind: 'panel' });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }); // every render: the handler reads the latest view

  if (!view) {
    return (
      <SectionPage id="metrics" summary="A release's live metrics." title="Metrics" back={back}>
        {problem ? (
          <p className="metrics-error" role="alert">
            {problem}
          </p>
        ) : (
          <p className="metrics-muted">Loading metrics…</p>
        )}
      </SectionPage>
    );
  }

  const everySeconds = Math.round((view.refreshMs || 15_000) / 1000);
  const closeEditor = () => setEditing(null);

  return (
    <SectionPage
      id="metrics"
      wide
      back={back}
      title={
        <>
          {view.release.name} <span className="metrics-muted">{view.release.version}</span>
        </>
      }
      summary={<Summary view={view} />}
      actions={
        !readOnly && (
          <>
            <button type="button" className="button" onClick={() => setEditing({ kind: 'source' })}>
              Add source
            </button>
            <button type="button" className="button" onClick={() => setEditing({ kind: 'panel' })} disabled={view.sources.length === 0} aria-keyshortcuts="A">
              Add panel
            </button>
            <button type="button" className="button" onClick={() => setEditing({ kind: 'rule' })} disabled={view.sources.length === 0}>
              Add rule
            </button>
            <button type="button" className="button" onClick={() => setEditing({ kind: 'reading' })}>
              Record reading
            </button>
          </>
        )
      }
    >
      <div className="toolbar metrics-toolbar">
        <button
          type="button"
          className={`button metrics-live ${live ? 'metrics-live--on' : ''}`}
          aria-pressed={live}
          aria-keyshortcuts="L"
          onClick={() => setLive((l) => !l)}
          data-testid="live-toggle"
          title="Live refresh on or off (L)"
        >
          <span className="metrics-live__dot" aria-hidden="true" />
          {live ? `Live · every ${everySeconds} s` : 'Paused'} <kbd>L</kbd>
        </button>
        <div className="metrics-ranges" role="radiogroup" aria-label="Time range">
          {RANGE_PRESETS.map((r) => (
            <button key={r} type="button" role="radio" aria-checked={range === r} className={`button button--small ${range === r ? 'metrics-range--on' : ''}`} onClick={() => setRange(r)}>
              {RANGE_TEXT[r]}
            </button>
          ))}
        </div>
        <span className="toolbar__spacer" />
        <span className="metrics-muted">{view.lastRefreshAt ? `Last refresh ${formatDateTime(view.lastRefreshAt)}` : 'Not refreshed yet'}</span>
        {!readOnly && (
          <button type="button" className="button button--small" onClick={refresh} aria-keyshortcuts="R">
            Refresh now <kbd>R</kbd>
          </button>
        )}
      </div>
      {refreshProblem && (
        <p className="metrics-error" role="alert">
          {refreshProblem}
        </p>
      )}
      {problem && (
        <p className="metrics-error" role="alert">
          {problem}
        </p>
      )}

      <div className="metrics-layout">
        <div className="metrics-main">
          {view.sources.length === 0 ? (
            <NoSources readOnly={readOnly} onAdd={() => setEditing({ kind: 'source' })} />
          ) : view.panels.length === 0 ? (
            <NoPanels readOnly={readOnly} templates={view.dashboards.length} onAdd={() => setEditing({ kind: 'panel' })} onApply={() => setEditing({ kind: 'dashboard', mode: 'apply' })} />
          ) : (
            <PanelGrid
              panels={view.panels}
              store={seriesStore}
              markers={view.markers}
              width={width}
              gridRef={gridRef}
              {...(readOnly ? {} : { onEdit: (p: PanelView) => setEditing({ kind: 'panel', existing: p }) })}
            />
          )}
          <Markers view={view} />
        </div>
        <aside className="metrics-side">
          <StabilizationPanel view={view} act={act} readOnly={readOnly} />
          <section className="panel" aria-labelledby="rules-title">
            <h2 id="rules-title" className="panel__title">
              Alert rules
            </h2>
            <RulesList
              rules={view.rules}
              {...(readOnly
                ? {}
                : {
                    onEdit: (r: RuleStatus) => setEditing({ kind: 'rule', existing: r }),
                    onRemove: (r: RuleStatus) => void act(() => client.call('metrics.rule.remove', { release, rule: r.rule.id })),
                  })}
            />
          </section>
          <Sources view={view} readOnly={readOnly} onEdit={(s) => setEditing({ kind: 'source', existing: s })} />
          {!readOnly && (
            <section className="panel" aria-labelledby="templates-title">
              <h2 id="templates-title" className="panel__title">
                Dashboard templates
              </h2>
              <div className="toolbar">
                <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'dashboard', mode: 'save' })} disabled={view.panels.length === 0}>
                  Save as template
                </button>
                <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'dashboard', mode: 'apply' })}>
                  Apply a template
                </button>
              </div>
            </section>
          )}
        </aside>
      </div>

      {editing?.kind === 'source' && <SourceEditor act={act} onClose={closeEditor} {...(editing.existing ? { existing: editing.existing } : {})} />}
      {editing?.kind === 'panel' && <PanelEditor release={release} act={act} onClose={closeEditor} sources={view.sources} {...(editing.existing ? { existing: editing.existing } : {})} />}
      {editing?.kind === 'rule' && <RuleEditor release={release} act={act} onClose={closeEditor} sources={view.sources} {...(editing.existing ? { existing: editing.existing } : {})} />}
      {editing?.kind === 'reading' && <ReadingEditor release={release} act={act} onClose={closeEditor} />}
      {editing?.kind === 'dashboard' && <DashboardEditor release={release} act={act} onClose={closeEditor} mode={editing.mode} dashboards={view.dashboards} />}
    </SectionPage>
  );
}

const STATUS_TONE: Record<string, string> = { deploying: 'accent', stabilizing: 'accent', rolled_back: 'danger', closed: 'ok' };

function Summary({ view }: { view: MetricsViewData }) {
  const firing = view.rules.filter((r) => r.state === 'firing').length;
  const noData = view.rules.filter((r) => r.state === 'no_data').length;
  return (
    <>
      <span className={`badge badge--${STATUS_TONE[view.release.status] ?? 'neutral'}`} data-testid="metrics-release-status">
        {view.release.status.replace('_', ' ')}
      </span>{' '}
      {view.release.deployStartedAt ? <>· deploy started {formatDateTime(view.release.deployStartedAt)}</> : <>· not deployed yet</>}
      {firing > 0 && <span className="metrics-danger-text"> · {firing} rule{firing > 1 ? 's' : ''} firing</span>}
      {noData > 0 && <span className="metrics-warn-text"> · {noData} without data</span>}
    </>
  );
}

function Markers({ view }: { view: MetricsViewData }) {
  const events = view.markers.filter((m) => m.kind !== 'deploy').sort((a, b) => a.at - b.at);
  if (events.length === 0) return null;
  return (
    <details className="metrics-markers">
      <summary>Timeline markers on the charts ({events.length})</summary>
      <ol>
        {events.map((m) => (
          <li key={`${m.at}-${m.label}`}>
            <span className="metrics-muted">{new Date(m.at).toLocaleString()}</span> — {m.label}
          </li>
        ))}
      </ol>
    </details>
  );
}

function Sources({ view, readOnly, onEdit }: { view: MetricsViewData; readOnly: boolean; onEdit(s: SourceSummary): void }) {
  if (view.sources.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="sources-title">
      <h2 id="sources-title" className="panel__title">
        Sources
      </h2>
      <ul className="metrics-sources">
        {view.sources.map((s) => (
          <li key={s.name}>
            <strong>{s.name}</strong> <span className="metrics-muted">{s.kind === 'prometheus' && s.config.kind === 'prometheus' ? s.config.url : s.kind}</span>
            <span className="metrics-muted"> · auth: {s.auth}</span>
            {s.health && <span className={s.health.ok ? 'metrics-ok-text' : 'metrics-danger-text'}> · {s.health.ok ? 'reachable' : s.health.message}</span>}
            {!readOnly && (
              <button type="button" className="button button--quiet button--small" onClick={() => onEdit(s)} aria-label={`Edit source ${s.name}`}>
                Edit
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoSources({ readOnly, onAdd }: { readOnly: boolean; onAdd(): void }) {
  return (
    <div className="panel metrics-empty">
      <h2>No metric sources yet</h2>
      <p>Connect Prometheus (its URL, and a token from an environment variable or this device’s keychain), a file feed a pipeline appends to, or manual readings.</p>
      {!readOnly && (
        <button type="button" className="button button--primary" onClick={onAdd}>
          Add a source
        </button>
      )}
    </div>
  );
}

function NoPanels({ readOnly, templates, onAdd, onApply }: { readOnly: boolean; templates: number; onAdd(): void; onApply(): void }) {
  return (
    <div className="panel metrics-empty">
      <h2>No panels on this release</h2>
      <p>Add a panel with one or more queries, or apply a dashboard template saved from another release{templates ? ` (${templates} saved)` : ''}.</p>
      {!readOnly && (
        <div className="toolbar">
          <button type="button" className="button button--primary" onClick={onAdd}>
            Add panel <kbd>A</kbd>
          </button>
          <button type="button" className="button" onClick={onApply}>
            Apply a dashboard template
          </button>
        </div>
      )}
    </div>
  );
}
