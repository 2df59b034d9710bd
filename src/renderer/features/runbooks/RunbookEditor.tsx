// The runbook editor: title, services and tags, sections and steps. Saving makes a new version of
// the template (releases keep the version they were given); export writes Markdown or YAML.
import { useEffect, useId, useState } from 'react';
import type { TemplateDetail } from '../../../shared/api/runbooks.ts';
import { emptyStep, moveStep, numberSteps, runbookDocSchema, type RunbookDoc } from '../../../shared/runbook-format/index.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { SectionPage } from '../../components/SectionPage.tsx';
import { formatDateTime } from '../../format/time.ts';
import { useApp } from '../../state/context.tsx';
import { addSection, addStep, removeSection, removeStep, splitNames, updateSection, updateStep } from './editor-model.ts';
import { SectionEditor, StepEditor, type PathErrors } from './EditorParts.tsx';
import { saveText } from './files.ts';

const NEW_DOC: RunbookDoc = {
  title: '',
  services: [],
  tags: [],
  extra: '',
  sections: [
    { title: 'Deployment', notes: '', steps: [emptyStep('First step')], target: null },
    { title: 'Rollback', notes: '', steps: [emptyStep('Undo the first step')], target: 900 },
  ],
};

export function RunbookEditor({ id }: { id?: string }) {
  const template = useApp((s) => (id ? s.runbooks.templates[id] : undefined));
  const problem = useApp((s) => (id ? s.runbooks.problems[id] : undefined));
  const loadTemplate = useApp((s) => s.loadTemplate);
  const navigate = useApp((s) => s.navigate);
  // The version this editor just saved: the form re-opens on it and says so.
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (id) void loadTemplate(id);
  }, [id, loadTemplate]);

  const back = { label: 'Runbooks', onClick: () => navigate('runbooks', { view: '' }) };
  if (id && !template) {
    return (
      <SectionPage id="runbooks" title="Runbook" summary={problem ? '' : 'Loading the runbook…'} back={back}>
        {problem && (
          <p className="notice notice--danger" role="alert">
            <InlineCode text={problem.message} />
          </p>
        )}
      </SectionPage>
    );
  }
  // A new version saved here or elsewhere re-opens the editor on it.
  return (
    <EditorForm
      key={template ? template.event : 'new'}
      template={template}
      back={back}
      justSaved={template !== undefined && saved === template.event}
      onSaved={setSaved}
    />
  );
}

interface EditorFormProps {
  template: TemplateDetail | undefined;
  back: { label: string; onClick(): void };
  justSaved: boolean;
  onSaved(event: string): void;
}

function EditorForm({ template, back, justSaved, onSaved }: EditorFormProps) {
  const saveTemplate = useApp((s) => s.saveTemplate);
  const exportRunbook = useApp((s) => s.exportRunbook);
  const navigate = useApp((s) => s.navigate);
  const readOnly = useApp((s) => s.info?.access === 'read');
  const [doc, setDoc] = useState<RunbookDoc>(template?.doc ?? NEW_DOC);
  const [services, setServices] = useState(doc.services.join(', '));
  const [tags, setTags] = useState(doc.tags.join(', '));
  const [errors, setErrors] = useState<PathErrors>({});
  const [message, setMessage] = useState<{ tone: 'ok' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { title: useId(), services: useId(), tags: useId() };
  const dirty = JSON.stringify(doc) !== JSON.stringify(template?.doc ?? NEW_DOC);
  // The save re-opens the form on the new version; say so until the next edit.
  const shown = message ?? (justSaved && template && !dirty ? { tone: 'ok' as const, text: `Saved as version ${template.version}.` } : null);
  const numbers = numberSteps(doc);
  // The number of each section's first step: steps are numbered through the whole runbook.
  const firstNumber = doc.sections.map((_, s) => doc.sections.slice(0, s).reduce((n, x) => n + x.steps.length, 0) + 1);

  const change = (next: RunbookDoc) => {
    setDoc(next);
    setMessage(null);
  };

  const save = async () => {
    if (busy || readOnly) return;
    const checked = runbookDocSchema.safeParse(doc);
    if (!checked.success) {
      const found: PathErrors = {};
      for (const issue of checked.error.issues) found[issue.path.map(String).join('.')] ??= issue.message;
      setErrors(found);
      setMessage({ tone: 'danger', text: `Not saved: ${checked.error.issues.length === 1 ? 'one problem' : `${checked.error.issues.length} problems`} — ${checked.error.issues[0]!.message}` });
      return;
    }
    setErrors({});
    setBusy(true);
    const result = await saveTemplate({ ...(template ? { id: template.id, basedOn: template.event } : {}), doc: checked.data });
    setBusy(false);
    if (!result.ok) {
      setMessage({ tone: 'danger', text: result.problem.message });
      return;
    }
    onSaved(result.value.event);
    if (!template) navigate('runbooks', { view: encodeURIComponent(result.value.id) });
  };

  const download = async (format: 'md' | 'yaml') => {
    if (!template) return;
    const result = await exportRunbook({ id: template.id, format });
    if (!result.ok) return setMessage({ tone: 'danger', text: result.problem.message });
    saveText(result.value.text, result.value.fileName, format === 'md' ? 'text/markdown' : 'application/yaml');
  };

  const actions = (
    <>
      {template && (
        <>
          <button type="button" className="button" onClick={() => void download('md')}>
            Export Markdown
          </button>
          <button type="button" className="button" onClick={() => void download('yaml')}>
            Export YAML
          </button>
        </>
      )}
      {!readOnly && (
        <button type="button" className="button button--primary" onClick={() => void save()} aria-disabled={busy || (!dirty && !!template) || undefined}>
          {busy ? 'Saving…' : template ? `Save as version ${template.versions + 1}` : 'Save to the library'}
        </button>
      )}
    </>
  );

  return (
    <SectionPage
      id="runbooks"
      title={template ? template.title : 'New runbook'}
      summary={
        template ? (
          <>
            Version {template.version} of {template.versions}, saved by {template.updatedBy.name} on {formatDateTime(template.updatedAt)}.
            {dirty && <strong className="editor__dirty"> Unsaved changes.</strong>}
          </>
        ) : (
          'Sections hold steps; a section named Rollback is the rollback plan, timed against its target.'
        )
      }
      back={back}
      actions={actions}
      wide
    >
      {shown && (
        <p className={`notice ${shown.tone === 'danger' ? 'notice--danger' : ''}`} role={shown.tone === 'danger' ? 'alert' : 'status'} data-testid="editor-message">
          <InlineCode text={shown.text} />
        </p>
      )}
      {template?.conflict && (
        <p className="notice notice--warn">
          Two versions were saved at the same time ({template.conflictVersions.map((v) => `v${v.version} by ${v.by.name}`).join(', ')}). The newest is shown; saving settles it.
        </p>
      )}
      {/* A read-only display shows the runbook with every control disabled. */}
      <fieldset className="editor__form" disabled={readOnly}>
        <div className="editor__meta panel">
          <div className="field">
            <label htmlFor={ids.title}>Title</label>
            <input id={ids.title} className="input" value={doc.title} aria-invalid={errors.title ? true : undefined} onChange={(e) => change({ ...doc, title: e.target.value })} />
            {errors.title && <span className="field__error">{errors.title}</span>}
          </div>
          <div className="field">
            <label htmlFor={ids.services}>Services</label>
            <input
              id={ids.services}
              className="input"
              value={services}
              placeholder="Comma-separated"
              onChange={(e) => {
                setServices(e.target.value);
                change({ ...doc, services: splitNames(e.target.value) });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.tags}>Tags</label>
            <input
              id={ids.tags}
              className="input"
              value={tags}
              placeholder="Comma-separated"
              onChange={(e) => {
                setTags(e.target.value);
                change({ ...doc, tags: splitNames(e.target.value) });
              }}
            />
          </div>
        </div>

        {doc.sections.map((section, s) => (
          <SectionEditor
            key={s}
            index={s}
            section={section}
            errors={errors}
            onChange={(patch) => change(updateSection(doc, s, patch))}
            onRemove={() => change(removeSection(doc, s))}
            onAddStep={() => change(addStep(doc, s))}
          >
            {section.steps.map((step, i) => {
              const number = firstNumber[s]! + i;
              return (
                <StepEditor
                  key={`${s}-${i}`}
                  number={number}
                  step={step}
                  path={`sections.${s}.steps.${i}`}
                  errors={errors}
                  first={number === 1}
                  last={number === numbers.length}
                  onChange={(patch) => change(updateStep(doc, s, i, patch))}
                  onRemove={() => change(removeStep(doc, number))}
                  onMove={(direction) => {
                    // Within the section, or across into the neighbouring one at its edge.
                    const target = i + direction;
                    if (target >= 0 && target < section.steps.length) change(moveStep(doc, number, { section: s, index: target }));
                    else if (direction < 0 && s > 0) change(moveStep(doc, number, { section: s - 1, index: doc.sections[s - 1]!.steps.length }));
                    else if (direction > 0 && s < doc.sections.length - 1) change(moveStep(doc, number, { section: s + 1, index: 0 }));
                  }}
                />
              );
            })}
          </SectionEditor>
        ))}
        {!readOnly && (
          <div className="editor__add">
            <button type="button" className="button" onClick={() => change(addSection(doc, `Section ${doc.sections.length + 1}`))}>
              Add a section
            </button>
          </div>
        )}
      </fieldset>
      {template && template.history.length > 0 && (
        <section className="panel" aria-labelledby="versions-title">
          <h2 id="versions-title" className="panel__title">
            Versions
          </h2>
          <ol className="editor__versions" reversed>
            {[...template.history].reverse().map((v) => (
              <li key={v.event}>
                v{v.version} — {v.title}, {v.steps} steps · {v.by.name}, {formatDateTime(v.at)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </SectionPage>
  );
}
