// Import a runbook: paste it or choose a file (Markdown or YAML), see at once how it reads —
// sections, steps, warnings, or the problem with its line number — then save it to the library
// or attach it straight to a release.
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { detectFormat, importRunbook, numberSteps, type ImportResult, type RunbookFormat } from '../../../shared/runbook-format/index.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { SectionPage } from '../../components/SectionPage.tsx';
import { useApp } from '../../state/context.tsx';
import { releasesView } from '../releases/index.ts';

type Preview = { ok: true; result: ImportResult; format: RunbookFormat } | { ok: false; line: number | null; message: string; format: RunbookFormat };

/** "line 12: a step title has…" → 12. */
export function lineOf(message: string): number | null {
  const match = /^line (\d+):/.exec(message);
  return match ? Number(match[1]) : null;
}

function preview(text: string, format: RunbookFormat, name: string | undefined): Preview {
  try {
    return { ok: true, result: importRunbook(text, format, name ? { fallbackTitle: name.replace(/\.[^.]+$/, '') } : {}), format };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = typeof (error as { line?: unknown }).line === 'number' ? (error as { line: number }).line : lineOf(message);
    return { ok: false, line, message, format };
  }
}

export function RunbookImport() {
  const importRunbookCall = useApp((s) => s.importRunbook);
  const releases = useApp((s) => s.timeline.releases);
  const loadReleases = useApp((s) => s.loadTimelineReleases);
  const navigate = useApp((s) => s.navigate);
  const [text, setText] = useState('');
  const [name, setName] = useState<string | undefined>(undefined);
  const [format, setFormat] = useState<'auto' | RunbookFormat>('auto');
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<{ message: string; line: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const source = useRef<HTMLTextAreaElement>(null);
  const ids = { text: useId(), file: useId(), format: useId(), target: useId(), problem: useId() };

  useEffect(() => {
    void loadReleases();
  }, [loadReleases]);

  const chosenFormat: RunbookFormat = format === 'auto' ? detectFormat(text, name) : format;
  // Parsing runs on every keystroke: the shared reader is fast, and seeing the line of a
  // problem while typing beats finding out on save.
  const shown = useMemo(() => (text.trim() ? preview(text, chosenFormat, name) : null), [text, chosenFormat, name]);
  const steps = shown?.ok ? numberSteps(shown.result.doc) : [];

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setName(file.name);
    setProblem(null);
  };

  const goToLine = (line: number) => {
    const area = source.current;
    if (!area) return;
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  const submit = async () => {
    if (busy || !text.trim()) return;
    setBusy(true);
    const result = await importRunbookCall({
      text,
      format: chosenFormat,
      ...(name ? { name } : {}),
      ...(target ? { release: target } : {}),
    });
    setBusy(false);
    if (!result.ok) return setProblem({ message: result.problem.message, line: lineOf(result.problem.message) });
    const { template, run } = result.value;
    if (run) navigate('releases', { view: releasesView({ page: 'run', id: run.release, run: run.id }) });
    else if (template) navigate('runbooks', { view: encodeURIComponent(template.id), focusHeading: true });
  };

  const error = problem ?? (shown && !shown.ok ? shown : null);

  return (
    <SectionPage
      id="runbooks"
      title="Import a runbook"
      summary="Markdown (task lists, numbered lists, or plain headings and prose) or YAML. Nothing in the source is dropped: text outside steps becomes section notes."
      back={{ label: 'Runbooks', onClick: () => navigate('runbooks', { view: '' }) }}
      wide
    >
      <div className="import">
        <div className="import__source panel">
          <div className="toolbar">
            <div className="field">
              <label htmlFor={ids.file}>Choose a file</label>
              <input id={ids.file} className="input" type="file" accept=".md,.markdown,.txt,.yaml,.yml" onChange={(e) => void chooseFile(e)} />
            </div>
            <div className="field import__format">
              <label htmlFor={ids.format}>Format</label>
              <select id={ids.format} className="select" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
                <option value="auto">Detect ({chosenFormat === 'yaml' ? 'YAML' : 'Markdown'})</option>
                <option value="md">Markdown</option>
                <option value="yaml">YAML</option>
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.text}>Or paste it here{name ? ` (from ${name})` : ''}</label>
            <textarea
              ref={source}
              id={ids.text}
              className="textarea textarea--code import__text"
              spellCheck={false}
              value={text}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? ids.problem : undefined}
              onChange={(e) => {
                setText(e.target.value);
                setProblem(null);
              }}
              placeholder={'---\ntitle: Checkout deploy\n---\n\n## Deployment\n\n- [ ] Drain the blue pool (owner: sre, expect: 5m)\n\n## Rollback (target: 15m)\n\n- [ ] Switch traffic back to green'}
            />
          </div>
          {error && (
            <div id={ids.problem} className="notice notice--danger" role="alert" data-testid="import-problem">
              <InlineCode text={error.message} />
              {error.line !== null && (
                <button type="button" className="button button--small import__goto" onClick={() => goToLine(error.line!)}>
                  Go to line {error.line}
                </button>
              )}
            </div>
          )}
        </div>

        <div className="import__preview panel" aria-labelledby="import-preview-title">
          <h2 id="import-preview-title" className="panel__title">
            {shown?.ok ? shown.result.doc.title : 'Preview'}
          </h2>
          {!shown && <p className="panel__empty">Paste a runbook or choose a file to see how it reads.</p>}
          {shown?.ok && (
            <>
              <p data-testid="import-summary">
                {shown.result.doc.sections.length} sections, {steps.length} steps{steps.some((s) => s.rollback) ? ', with a rollback plan' : ', no rollback plan'}
              </p>
              {shown.result.warnings.length > 0 && (
                <ul className="import__warnings">
                  {shown.result.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
              <ol className="import__outline">
                {shown.result.doc.sections.map((section, i) => (
                  <li key={i}>
                    <strong>{section.title || '(before the first heading)'}</strong>
                    {section.steps.length > 0 ? ` — ${section.steps.length} step${section.steps.length === 1 ? '' : 's'}` : ' — notes only'}
                  </li>
                ))}
              </ol>
            </>
          )}
          <div className="field">
            <label htmlFor={ids.target}>Where it goes</label>
            <select id={ids.target} className="select" value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">The library (a new template)</option>
              {(releases ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  Attach to {r.name} {r.version}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="button button--primary" onClick={() => void submit()} aria-disabled={busy || !shown?.ok || undefined}>
            {busy ? 'Importing…' : target ? 'Import and attach' : 'Import to the library'}
          </button>
        </div>
      </div>
    </SectionPage>
  );
}
