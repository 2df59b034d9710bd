// The pieces of the runbook editor: a section (title, time-to-restore target on a rollback
// section, notes, its steps) and a step (title, owner, expected duration, kind, dependencies,
// details). Problems from the schema are shown at the field they name.
import { useId, useState, type ReactNode } from 'react';
import {
  formatDuration,
  isRollbackTitle,
  parseDuration,
  STEP_KINDS,
  type RunbookSection,
  type RunbookStep,
  type StepKind,
} from '../../../shared/runbook-format/index.ts';
import { parseAfter } from './editor-model.ts';

/** Problems by path: `sections.2.steps.0.after` → message. */
export type PathErrors = Record<string, string>;

function Problem({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={id} className="field__error">
      {message}
    </span>
  ) : null;
}

/** A duration typed as text (10m, 1h30m); the number is committed only when it parses. */
function DurationField({ label, seconds, onChange, error }: { label: string; seconds: number | null; onChange(s: number | null): void; error?: string | undefined }) {
  const id = useId();
  const [text, setText] = useState(seconds === null ? '' : formatDuration(seconds));
  const [bad, setBad] = useState(false);
  // Rows are keyed by position, so a step moved or removed above hands this field another
  // step's duration: show that one unless the person is mid-way through typing a bad value.
  const typed = text.trim() === '' ? null : parseDuration(text);
  if (typed !== undefined && typed !== seconds) setText(seconds === null ? '' : formatDuration(seconds));
  return (
    <div className="field editor__duration">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        value={text}
        placeholder="e.g. 10m"
        aria-invalid={bad || error ? true : undefined}
        aria-describedby={bad || error ? `${id}-e` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = e.target.value.trim() === '' ? null : parseDuration(e.target.value);
          setBad(parsed === undefined);
          if (parsed !== undefined) onChange(parsed);
        }}
      />
      <Problem id={`${id}-e`} message={bad ? 'Write a duration such as 10m, 1h30m or 90s.' : error} />
    </div>
  );
}

interface StepEditorProps {
  number: number;
  step: RunbookStep;
  path: string;
  errors: PathErrors;
  first: boolean;
  last: boolean;
  onChange(patch: Partial<RunbookStep>): void;
  onMove(direction: -1 | 1): void;
  onRemove(): void;
}

export function StepEditor({ number, step, path, errors, first, last, onChange, onMove, onRemove }: StepEditorProps) {
  const id = useId();
  const [afterText, setAfterText] = useState(step.after.join(', '));
  // Renumbering (a step added or removed above) rewrites `after`; show the new numbers.
  if (parseAfter(afterText).join() !== step.after.join()) setAfterText(step.after.join(', '));
  const err = (field: string) => errors[`${path}.${field}`];
  return (
    <li className="editor-step" data-testid={`editor-step-${number}`}>
      <div className="editor-step__head">
        <span className="editor-step__number" aria-hidden="true">
          {number}
        </span>
        <div className="field editor-step__title">
          <label htmlFor={`${id}-title`} className="visually-hidden">
            Step {number} title
          </label>
          <input id={`${id}-title`} className="input" value={step.title} aria-invalid={err('title') ? true : undefined} onChange={(e) => onChange({ title: e.target.value })} />
          <Problem id={`${id}-title-e`} message={err('title')} />
        </div>
        <div className="editor-step__tools">
          <button type="button" className="button button--quiet button--small" onClick={() => onMove(-1)} aria-disabled={first || undefined} aria-label={`Move step ${number} up`}>
            ↑
          </button>
          <button type="button" className="button button--quiet button--small" onClick={() => onMove(1)} aria-disabled={last || undefined} aria-label={`Move step ${number} down`}>
            ↓
          </button>
          <button type="button" className="button button--quiet button--small" onClick={onRemove} aria-label={`Remove step ${number}`}>
            ✕
          </button>
        </div>
      </div>
      <div className="editor-step__attrs">
        <div className="field">
          <label htmlFor={`${id}-owner`}>Owner</label>
          <input
            id={`${id}-owner`}
            className="input"
            value={step.owner ?? ''}
            placeholder="role or @person"
            aria-invalid={err('owner') ? true : undefined}
            onChange={(e) => onChange({ owner: e.target.value.trim() ? e.target.value : null })}
          />
          <Problem id={`${id}-owner-e`} message={err('owner')} />
        </div>
        <DurationField label="Expected" seconds={step.expect} onChange={(expect) => onChange({ expect })} error={err('expect')} />
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} className="select" value={step.kind} onChange={(e) => onChange({ kind: e.target.value as StepKind })}>
            {STEP_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-after`}>After steps</label>
          <input
            id={`${id}-after`}
            className="input"
            value={afterText}
            placeholder="e.g. 2, 3"
            aria-invalid={err('after') ? true : undefined}
            onChange={(e) => {
              setAfterText(e.target.value);
              onChange({ after: parseAfter(e.target.value) });
            }}
          />
          <Problem id={`${id}-after-e`} message={err('after')} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-details`}>Details (Markdown, kept verbatim)</label>
        <textarea
          id={`${id}-details`}
          className="textarea textarea--code"
          rows={Math.min(10, Math.max(2, step.details.split('\n').length))}
          value={step.details}
          onChange={(e) => onChange({ details: e.target.value })}
        />
      </div>
    </li>
  );
}

interface SectionEditorProps {
  index: number;
  section: RunbookSection;
  errors: PathErrors;
  onChange(patch: Partial<Omit<RunbookSection, 'steps'>>): void;
  onRemove(): void;
  children: ReactNode;
  onAddStep(): void;
}

export function SectionEditor({ index, section, errors, onChange, onRemove, children, onAddStep }: SectionEditorProps) {
  const id = useId();
  const rollback = isRollbackTitle(section.title);
  const path = `sections.${index}`;
  return (
    <section className={`editor-section panel${rollback ? ' editor-section--rollback' : ''}`} aria-label={`Section ${section.title || index + 1}`}>
      <div className="editor-section__head">
        <div className="field editor-section__title">
          <label htmlFor={`${id}-title`}>Section {rollback && <span className="badge badge--danger">Rollback plan</span>}</label>
          <input
            id={`${id}-title`}
            className="input"
            value={section.title}
            placeholder={index === 0 ? 'Untitled: the text before the first heading' : 'Section title'}
            aria-invalid={errors[`${path}.title`] ? true : undefined}
            onChange={(e) => onChange({ title: e.target.value })}
          />
          <Problem id={`${id}-title-e`} message={errors[`${path}.title`]} />
        </div>
        {rollback && (
          <DurationField label="Time-to-restore target" seconds={section.target} onChange={(target) => onChange({ target })} error={errors[`${path}.target`]} />
        )}
        <button type="button" className="button button--quiet button--small" onClick={onRemove} aria-label={`Remove section ${section.title || index + 1}`}>
          Remove section
        </button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-notes`}>Notes (text outside steps)</label>
        <textarea
          id={`${id}-notes`}
          className="textarea textarea--code"
          rows={Math.min(8, Math.max(2, section.notes.split('\n').length))}
          value={section.notes}
          onChange={(e) => onChange({ notes: e.target.value })}
        />
      </div>
      <ol className="editor-steps" role="list">
        {children}
      </ol>
      <button type="button" className="button button--small" onClick={onAddStep}>
        Add a step to {section.title || 'this section'}
      </button>
    </section>
  );
}
