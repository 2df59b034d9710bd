// Editors of the metrics section, each a dialog: a source (Prometheus with its auth, a file feed,
// manual readings) with "Test connection", a panel, an alert rule, a manual reading, and saving
// or applying a dashboard template. Every refusal comes from the core's own validation.
import { useState } from 'react';
import type { PanelView, RuleStatus, SourceSummary } from '../../../shared/api/metrics.ts';
import type { PanelInput, RuleInput, SourceConfig } from '../../../shared/metrics/model.ts';
import { useClient } from '../../state/context.tsx';
import { parseDuration, slugify } from './chart-data.ts';
import { EditorDialog, Field } from './EditorDialog.tsx';

type Act = (run: () => Promise<unknown>) => Promise<string | null>;
interface Common {
  release: string;
  act: Act;
  onClose(): void;
}

type AuthChoice = 'none' | 'env' | 'keychain';

function SourceSelect({ sources, value, onChange }: { sources: SourceSummary[]; value: string; onChange(name: string): void }) {
  return (
    <Field label="Source">
      <select className="select" value={value} onChange={(e) => onChange(e.target.value)}>
        {sources.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name} ({s.kind})
          </option>
        ))}
      </select>
    </Field>
  );
}

export function SourceEditor({ act, onClose, existing }: Omit<Common, 'release'> & { existing?: SourceSummary }) {
  const client = useClient();
  const cfg = existing?.config;
  const prom = cfg?.kind === 'prometheus' ? cfg : null;
  const token = prom?.auth?.type === 'bearer' ? prom.auth.token : null;
  const [name, setName] = useState(existing?.name ?? '');
  const [kind, setKind] = useState<SourceConfig['kind']>(cfg?.kind ?? 'prometheus');
  const [url, setUrl] = useState(prom?.url ?? '');
  const [auth, setAuth] = useState<AuthChoice>(token ? token.from : 'none');
  const [env, setEnv] = useState(token?.from === 'env' ? token.env : '');
  const [secret, setSecret] = useState('');
  const [path, setPath] = useState(cfg?.kind === 'file' ? cfg.path : '');
  const [format, setFormat] = useState<'' | 'ndjson' | 'csv'>(cfg?.kind === 'file' ? (cfg.format ?? '') : '');
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);

  const config = (): SourceConfig | Record<string, unknown> => {
    if (kind === 'manual') return { kind };
    if (kind === 'file') return { kind, path, ...(format ? { format } : {}) };
    const authDoc = auth === 'env' ? { type: 'bearer', token: { from: 'env', env } } : auth === 'keychain' ? { type: 'bearer', token: { from: 'keychain' } } : undefined;
    return { kind, url, ...(authDoc ? { auth: authDoc } : {}) };
  };
  const save = () =>
    act(() =>
      client.call('metrics.source.save', {
        name: name.trim(),
        config: config() as SourceConfig,
        ...(kind === 'prometheus' && auth === 'keychain' && secret ? { secret } : {}),
      }),
    );
  const testConnection = async () => {
    const refused = await save();
    if (refused) return setTest({ ok: false, message: refused });
    try {
      setTest(await client.call('metrics.source.test', { name: name.trim() }));
    } catch (error) {
      setTest({ ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <EditorDialog
      title={existing ? `Edit source ${existing.name}` : 'Add a metric source'}
      submitLabel="Save source"
      onSubmit={save}
      onClose={onClose}
      extra={
        <button type="button" className="button" onClick={() => void testConnection()}>
          Test connection
        </button>
      }
      note={
        test && (
          <p className={test.ok ? 'metrics-ok-text' : 'field__error'} role="status" data-testid="source-test">
            {test.ok ? 'Connected: ' : 'Not reachable: '}
            {test.message}
          </p>
        )
      }
    >
      <Field label="Name" hint="Panels and rules refer to it, e.g. prod-prometheus.">
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} disabled={existing !== undefined} autoFocus={!existing} />
      </Field>
      <Field label="Kind">
        <select className="select" value={kind} onChange={(e) => setKind(e.target.value as SourceConfig['kind'])}>
          <option value="prometheus">Prometheus</option>
          <option value="file">File feed (NDJSON or CSV)</option>
          <option value="manual">Manual readings</option>
        </select>
      </Field>
      {kind === 'prometheus' && (
        <>
          <Field label="Prometheus URL">
            <input className="input" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://127.0.0.1:9090" />
          </Field>
          <Field label="Authentication" hint="Tokens are never stored in the database or the shared folder.">
            <select className="select" value={auth} onChange={(e) => setAuth(e.target.value as AuthChoice)}>
              <option value="none">None</option>
              <option value="env">Bearer token from an environment variable</option>
              <option value="keychain">Bearer token kept in this device’s keychain</option>
            </select>
          </Field>
          {auth === 'env' && (
            <Field label="Environment variable">
              <input className="input" value={env} onChange={(e) => setEnv(e.target.value)} placeholder="PROM_TOKEN" />
            </Field>
          )}
          {auth === 'keychain' && (
            <Field label="Token" hint={existing ? 'Leave empty to keep the stored token.' : undefined}>
              <input className="input" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
            </Field>
          )}
        </>
      )}
      {kind === 'file' && (
        <>
          <Field label="File path" hint="Absolute, or relative to the shared sync folder.">
            <input className="input" value={path} onChange={(e) => setPath(e.target.value)} placeholder="feeds/checkout.ndjson" />
          </Field>
          <Field label="Format">
            <select className="select" value={format} onChange={(e) => setFormat(e.target.value as '' | 'ndjson' | 'csv')}>
              <option value="">From the file name</option>
              <option value="ndjson">NDJSON</option>
              <option value="csv">CSV</option>
            </select>
          </Field>
        </>
      )}
    </EditorDialog>
  );
}

export function PanelEditor({ release, act, onClose, sources, existing }: Common & { sources: SourceSummary[]; existing?: PanelView }) {
  const client = useClient();
  const doc = existing?.doc;
  const [title, setTitle] = useState(doc?.title ?? '');
  const [source, setSource] = useState(doc?.source ?? sources[0]?.name ?? '');
  const [queries, setQueries] = useState(doc?.queries.map((q) => ({ query: q.query, legend: q.legend ?? '' })) ?? [{ query: '', legend: '' }]);
  const [unit, setUnit] = useState(doc?.unit ?? '');
  const [chart, setChart] = useState<'line' | 'area'>(doc?.chart ?? 'line');
  const [threshold, setThreshold] = useState(doc?.threshold ?? '');
  const [baseline, setBaseline] = useState<'' | 'before_deploy' | 'week_before'>(doc?.baseline ?? '');
  const [canary, setCanary] = useState(doc?.canaryLabel ?? '');

  const save = () => {
    const panel: PanelInput = {
      id: doc?.id ?? slugify(title),
      title: title.trim(),
      source,
      queries: queries.filter((q) => q.query.trim()).map((q) => ({ query: q.query.trim(), ...(q.legend.trim() ? { legend: q.legend.trim() } : {}) })),
      unit: unit.trim(),
      chart,
      ...(threshold.trim() ? { threshold: threshold.trim() } : {}),
      ...(baseline ? { baseline } : {}),
      ...(canary.trim() ? { canaryLabel: canary.trim() } : {}),
    };
    return act(() => client.call('metrics.panel.save', { release, panel }));
  };
  const setQuery = (i: number, patch: Partial<{ query: string; legend: string }>) => setQueries((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));

  return (
    <EditorDialog title={existing ? `Edit panel ${doc?.title}` : 'Add a panel'} submitLabel="Save panel" onSubmit={save} onClose={onClose}>
      <Field label="Title">
        <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
      </Field>
      <SourceSelect sources={sources} value={source} onChange={setSource} />
      {queries.map((q, i) => (
        <fieldset key={i} className="metrics-editor__query">
          <legend>Query {queries.length > 1 ? i + 1 : ''}</legend>
          <Field label={`Query ${i + 1} (PromQL, or the metric name of a feed)`}>
            <textarea className="textarea textarea--code" rows={2} value={q.query} onChange={(e) => setQuery(i, { query: e.target.value })} />
          </Field>
          <Field label={`Legend ${i + 1} (optional)`} hint="{{label}} is replaced by the series' label, e.g. {{code}}.">
            <input className="input" value={q.legend} onChange={(e) => setQuery(i, { legend: e.target.value })} />
          </Field>
          {queries.length > 1 && (
            <button type="button" className="button button--quiet button--small" onClick={() => setQueries((qs) => qs.filter((_, j) => j !== i))}>
              Remove query {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" className="button button--small" onClick={() => setQueries((qs) => [...qs, { query: '', legend: '' }])}>
        Add another query
      </button>
      <div className="metrics-editor__row">
        <Field label="Unit">
          <input className="input" value={unit} onChange={(e) => setUnit(e.target.value)} placeholder="req/s, ms, %" />
        </Field>
        <Field label="Chart">
          <select className="select" value={chart} onChange={(e) => setChart(e.target.value as 'line' | 'area')}>
            <option value="line">Line</option>
            <option value="area">Area</option>
          </select>
        </Field>
        <Field label="Threshold line (optional)">
          <input className="input" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </Field>
      </div>
      <div className="metrics-editor__row">
        <Field label="Baseline band">
          <select className="select" value={baseline} onChange={(e) => setBaseline(e.target.value as typeof baseline)}>
            <option value="">None</option>
            <option value="before_deploy">Same period before the deployment</option>
            <option value="week_before">Same hours one week earlier</option>
          </select>
        </Field>
        <Field label="Canary label (optional)" hint="The label telling canary from baseline, e.g. track.">
          <input className="input" value={canary} onChange={(e) => setCanary(e.target.value)} />
        </Field>
      </div>
    </EditorDialog>
  );
}

type Condition = 'above' | 'below' | 'absent' | 'baseline';

export function RuleEditor({ release, act, onClose, sources, existing }: Common & { sources: SourceSummary[]; existing?: RuleStatus }) {
  const client = useClient();
  const rule = existing?.rule;
  const [title, setTitle] = useState(rule?.title ?? '');
  const [source, setSource] = useState(rule?.source ?? sources[0]?.name ?? '');
  const [query, setQuery] = useState(rule?.query ?? '');
  const [condition, setCondition] = useState<Condition>(rule?.kind === 'absent' ? 'absent' : rule?.kind === 'baseline_ratio' ? 'baseline' : rule?.op === '<' ? 'below' : 'above');
  const [op, setOp] = useState<'>' | '<'>(rule?.op ?? '>');
  const [value, setValue] = useState(rule?.threshold ?? '');
  const [baseline, setBaseline] = useState<'before_deploy' | 'week_before'>(rule?.baseline ?? 'before_deploy');
  const [forText, setForText] = useState(rule ? `${rule.forSeconds}s` : '5m');
  const [rollback, setRollback] = useState(rule?.rollback ?? true);

  const save = async () => {
    const forSeconds = parseDuration(forText);
    if (forSeconds === null) return `“${forText}” is not a duration: write 90s, 5m or 1h.`;
    const base = { id: rule?.id ?? slugify(title), title: title.trim(), source, query: query.trim(), forSeconds, rollback };
    const doc: RuleInput =
      condition === 'absent'
        ? { ...base, kind: 'absent' }
        : condition === 'baseline'
          ? { ...base, kind: 'baseline_ratio', op, threshold: value.trim(), baseline }
          : { ...base, kind: 'threshold', op: condition === 'above' ? '>' : '<', threshold: value.trim() };
    return act(() => client.call('metrics.rule.save', { release, rule: doc }));
  };

  return (
    <EditorDialog title={existing ? `Edit rule ${rule?.title}` : 'Add an alert rule'} submitLabel="Save rule" onSubmit={save} onClose={onClose}>
      <Field label="Title">
        <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Error rate above 2 %" autoFocus />
      </Field>
      <SourceSelect sources={sources} value={source} onChange={setSource} />
      <Field label="Query">
        <textarea className="textarea textarea--code" rows={2} value={query} onChange={(e) => setQuery(e.target.value)} />
      </Field>
      <div className="metrics-editor__row">
        <Field label="Fires when">
          <select className="select" value={condition} onChange={(e) => setCondition(e.target.value as Condition)}>
            <option value="above">above a value</option>
            <option value="below">below a value</option>
            <option value="baseline">a ratio of the baseline</option>
            <option value="absent">no data</option>
          </select>
        </Field>
        {condition === 'baseline' && (
          <Field label="Direction">
            <select className="select" value={op} onChange={(e) => setOp(e.target.value as '>' | '<')}>
              <option value=">">more than</option>
              <option value="<">less than</option>
            </select>
          </Field>
        )}
        {condition !== 'absent' && (
          <Field label={condition === 'baseline' ? 'Ratio (× baseline)' : 'Value'} hint={condition === 'baseline' ? 'e.g. 1.5' : 'In the query’s unit: 0.02 for 2 %.'}>
            <input className="input" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
          </Field>
        )}
        <Field label="For" hint="90s, 5m, 1h">
          <input className="input" value={forText} onChange={(e) => setForText(e.target.value)} />
        </Field>
      </div>
      {condition === 'baseline' && (
        <Field label="Baseline window">
          <select className="select" value={baseline} onChange={(e) => setBaseline(e.target.value as typeof baseline)}>
            <option value="before_deploy">Same period before the deployment</option>
            <option value="week_before">Same hours one week earlier</option>
          </select>
        </Field>
      )}
      <label className="metrics-check">
        <input type="checkbox" checked={rollback} onChange={(e) => setRollback(e.target.checked)} /> Offer the runbook rollback when it fires
      </label>
    </EditorDialog>
  );
}

export function ReadingEditor({ release, act, onClose }: Common) {
  const client = useClient();
  const [metric, setMetric] = useState('');
  const [value, setValue] = useState('');
  const [unit, setUnit] = useState('');
  const [note, setNote] = useState('');
  const save = async () => {
    const number = Number(value.trim());
    if (value.trim() === '' || Number.isNaN(number)) return 'Write the reading as a number, e.g. 98.4.';
    return act(() =>
      client.call('metrics.record', { release, metric: metric.trim(), value: number, ...(unit.trim() ? { unit: unit.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) }),
    );
  };
  return (
    <EditorDialog title="Record a reading" submitLabel="Record" onSubmit={save} onClose={onClose}>
      <Field label="Metric" hint="The name a manual panel shows, e.g. checkout_success_pct.">
        <input className="input" value={metric} onChange={(e) => setMetric(e.target.value)} autoFocus />
      </Field>
      <div className="metrics-editor__row">
        <Field label="Value">
          <input className="input" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
        </Field>
        <Field label="Unit (optional)">
          <input className="input" value={unit} onChange={(e) => setUnit(e.target.value)} />
        </Field>
      </div>
      <Field label="Note (optional)" hint="Where the number comes from.">
        <input className="input" value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
    </EditorDialog>
  );
}

export function DashboardEditor({ release, act, onClose, mode, dashboards }: Common & { mode: 'save' | 'apply'; dashboards: { id: string; title: string; panels: number; rules: number }[] }) {
  const client = useClient();
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState(dashboards[0]?.id ?? '');
  if (mode === 'save') {
    return (
      <EditorDialog
        title="Save as a dashboard template"
        submitLabel="Save template"
        onSubmit={() => act(() => client.call('metrics.dashboard.save', { release, id: slugify(title), title: title.trim() }))}
        onClose={onClose}
      >
        <p className="field__hint">The release’s panels and rules become a template other releases can apply (saving again under the same title adds a version).</p>
        <Field label="Template title">
          <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
        </Field>
      </EditorDialog>
    );
  }
  return (
    <EditorDialog title="Apply a dashboard template" submitLabel="Apply" onSubmit={() => act(() => client.call('metrics.dashboard.apply', { release, dashboard: chosen }))} onClose={onClose}>
      {dashboards.length === 0 ? (
        <p className="metrics-muted">No templates saved yet: build a dashboard on one release and save it as a template.</p>
      ) : (
        <Field label="Template" hint="Panels and rules with the same ids are replaced.">
          <select className="select" value={chosen} onChange={(e) => setChosen(e.target.value)} autoFocus>
            {dashboards.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title} — {d.panels} panels, {d.rules} rules
              </option>
            ))}
          </select>
        </Field>
      )}
    </EditorDialog>
  );
}
