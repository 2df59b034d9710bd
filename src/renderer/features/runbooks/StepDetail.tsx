// The selected step in full: its state and who set it, why it was skipped or failed, its owner,
// timing, dependencies, details (verbatim Markdown), notes and evidence, with the same actions
// the keys give.
import type { ReactNode } from 'react';
import { stateLabel, type RunStep } from '../../../shared/domain/runbooks.ts';
import { sizeText } from '../../../shared/domain/describe.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { MarkdownView } from '../../components/MarkdownView.tsx';
import { formatDateTime, formatSeconds } from '../../format/time.ts';
import { STATE_MARK, STATE_TONE, timeText } from './RunSteps.tsx';

export type StepActionKey = 'start' | 'done' | 'skip' | 'fail' | 'note' | 'assign' | 'evidence' | 'reset';

const ACTIONS: { key: StepActionKey; label: string; kbd: string }[] = [
  { key: 'start', label: 'Start', kbd: 'B' },
  { key: 'done', label: 'Complete', kbd: 'Space' },
  { key: 'skip', label: 'Skip…', kbd: 'S' },
  { key: 'fail', label: 'Fail…', kbd: 'F' },
  { key: 'note', label: 'Note…', kbd: 'N' },
  { key: 'assign', label: 'Assign…', kbd: 'A' },
  { key: 'evidence', label: 'Attach evidence…', kbd: 'E' },
  { key: 'reset', label: 'Reset', kbd: 'U' },
];

interface StepDetailProps {
  step: RunStep;
  sectionTitle: string;
  readOnly: boolean;
  onAction(action: StepActionKey): void;
  onOpenEvidence(sha256: string, name: string, mime: string): void;
  /** The notes of the step's section (text outside steps), shown folded. */
  sectionNotes?: string;
  extra?: ReactNode;
}

export function StepDetail({ step, sectionTitle, readOnly, onAction, onOpenEvidence, sectionNotes, extra }: StepDetailProps) {
  const over = step.overrun > 0 && step.state !== 'skipped';
  return (
    <section className="step-detail panel" aria-labelledby="step-detail-title" data-testid="step-detail">
      <p className="eyebrow">
        {sectionTitle || 'Steps'} · step {step.number}
      </p>
      <h2 id="step-detail-title" className="step-detail__title">
        <InlineCode text={step.title} />
      </h2>
      <p className="step-detail__state">
        <span className={`badge badge--${STATE_TONE[step.state]}`}>
          <span aria-hidden="true">{STATE_MARK[step.state]}</span> {stateLabel(step.state)}
        </span>
        {step.changed && (
          <span className="step-detail__who">
            {' '}
            by {step.changed.by.name}, {formatDateTime(step.changed.at, undefined, true)}
          </span>
        )}
      </p>
      {step.reason && (
        <p className={`notice ${step.state === 'failed' ? 'notice--danger' : 'notice--warn'}`} data-testid="step-reason">
          <strong>{step.state === 'skipped' ? 'Skipped because' : step.state === 'failed' ? 'Failed because' : 'Reason'}:</strong> {step.reason}
        </p>
      )}
      {step.conflict && (
        <p className="notice notice--warn">
          Two devices set this step at the same time: {step.conflict.map((c) => `${stateLabel(c.state)} (${c.by.name})`).join(' and ')}. The newest is shown; any
          new action settles it.
        </p>
      )}
      <dl className="step-detail__facts">
        <div>
          <dt>Owner</dt>
          <dd>{step.assignee ? `${step.assignee.to} (assigned by ${step.assignee.by.name})` : (step.owner ?? '—')}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{step.kind}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd className={over ? 'step-detail__over' : undefined}>{timeText(step) || (step.expect === null ? 'Not estimated' : formatSeconds(step.expect))}</dd>
        </div>
        <div>
          <dt>Waits for</dt>
          <dd>{step.after.length === 0 ? 'Nothing' : step.after.map((n) => `step ${n}${step.waitingOn.includes(n) ? ' (not done)' : ' ✓'}`).join(', ')}</dd>
        </div>
      </dl>
      {extra}
      {!readOnly && (
        <div className="step-detail__actions" role="group" aria-label="Step actions">
          {ACTIONS.map((a) => (
            <button key={a.key} type="button" className="button button--small" onClick={() => onAction(a.key)}>
              {a.label} <kbd>{a.kbd}</kbd>
            </button>
          ))}
        </div>
      )}
      {step.details && (
        <>
          <h3 className="step-detail__subtitle">Details</h3>
          <MarkdownView text={step.details} className="step-detail__details" />
        </>
      )}
      {sectionNotes && (
        <details className="step-detail__section-notes">
          <summary>Notes of {sectionTitle || 'this section'}</summary>
          <MarkdownView text={sectionNotes} />
        </details>
      )}
      <h3 className="step-detail__subtitle">Notes</h3>
      {step.notes.length === 0 ? (
        <p className="step-detail__none">No notes yet.</p>
      ) : (
        <ul className="step-detail__notes" data-testid="step-notes">
          {step.notes.map((note) => (
            <li key={note.id}>
              <p>{note.text}</p>
              <span className="step-detail__who">
                {note.by.name}, {formatDateTime(note.at, undefined, true)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="step-detail__subtitle">Evidence</h3>
      {step.evidence.length === 0 ? (
        <p className="step-detail__none">No files attached.</p>
      ) : (
        <ul className="step-detail__evidence" data-testid="step-evidence">
          {step.evidence.map((file) => (
            <li key={file.id}>
              <button type="button" className="button button--quiet button--small" onClick={() => onOpenEvidence(file.sha256, file.name, file.mime)}>
                {file.name}
              </button>
              <span className="step-detail__who">
                {sizeText(file.size)} · {file.by.name}, {formatDateTime(file.at)} · sha256 <span className="mono">{file.sha256.slice(0, 12)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
