// The runner's step list: one keyboard stop (a listbox with an active descendant), sections as
// groups, each step with its state, who owns it, what it waits for and its time against the
// expected duration.
import { forwardRef } from 'react';
import type { RunDetail } from '../../../shared/api/runbooks.ts';
import { stateLabel, type RunStep, type StepState } from '../../../shared/domain/runbooks.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { formatDuration, formatSeconds } from '../../format/time.ts';

export const STATE_TONE: Record<StepState, string> = {
  pending: 'neutral',
  in_progress: 'accent',
  done: 'ok',
  skipped: 'warn',
  failed: 'danger',
  blocked: 'danger',
};

/** A glyph per state, so a state never depends on colour alone. */
export const STATE_MARK: Record<StepState, string> = {
  pending: '○',
  in_progress: '▶',
  done: '✓',
  skipped: '↷',
  failed: '✕',
  blocked: '■',
};

export function stepOptionId(runId: string, number: number): string {
  return `step-${runId}-${number}`;
}

interface RunStepsProps {
  run: RunDetail;
  steps: RunStep[];
  selected: number;
  onSelect(number: number): void;
}

export const RunSteps = forwardRef<HTMLDivElement, RunStepsProps>(function RunSteps({ run, steps, selected, onSelect }, ref) {
  return (
    <div
      ref={ref}
      className="run-steps"
      role="listbox"
      tabIndex={0}
      aria-label={`Steps of ${run.title}`}
      aria-activedescendant={steps.length > 0 ? stepOptionId(run.id, selected) : undefined}
      data-testid="run-steps"
    >
      {run.sections.map((section) => {
        if (section.steps.length === 0) return null;
        const headingId = `${run.id}-section-${section.index}`;
        return (
          <div key={section.index} role="group" aria-labelledby={headingId} className={`run-steps__section${section.rollback ? ' run-steps__section--rollback' : ''}`}>
            <div id={headingId} className="run-steps__heading">
              {section.title || 'Steps'}
              {section.rollback && <span className="badge badge--danger">Rollback plan</span>}
              {section.rollback && section.target !== null && <span className="run-steps__target">target {formatSeconds(section.target)}</span>}
            </div>
            {section.steps.map((n) => {
              const step = steps[n - 1];
              return step ? <StepOption key={n} runId={run.id} step={step} selected={n === selected} onSelect={onSelect} /> : null;
            })}
          </div>
        );
      })}
    </div>
  );
});

function StepOption({ runId, step, selected, onSelect }: { runId: string; step: RunStep; selected: boolean; onSelect(n: number): void }) {
  const over = step.overrun > 0 && step.state !== 'skipped';
  return (
    <div
      id={stepOptionId(runId, step.number)}
      role="option"
      aria-selected={selected}
      className={`run-step run-step--${step.state}${selected ? ' run-step--selected' : ''}${over ? ' run-step--over' : ''}`}
      data-testid={`step-${step.number}`}
      data-state={step.state}
      // The list keeps focus; a click only moves the selection.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onSelect(step.number)}
    >
      <span className="run-step__number">{step.number}</span>
      <span className={`run-step__state badge badge--${STATE_TONE[step.state]}`}>
        <span aria-hidden="true">{STATE_MARK[step.state]}</span> {stateLabel(step.state)}
      </span>
      <span className="run-step__title">
        <InlineCode text={step.title} />
      </span>
      <span className={`run-step__time${over ? ' run-step__time--over' : ''}`}>{timeText(step)}</span>
      <span className="run-step__meta">
        {step.assignee ? `→ ${step.assignee.to}` : step.owner ? step.owner : 'no owner'}
        {step.kind !== 'manual' && ` · ${step.kind}`}
        {step.waiting && <span className="run-step__waiting"> · waits for {step.waitingOn.join(', ')}</span>}
        {step.notes.length > 0 && ` · ${step.notes.length} note${step.notes.length === 1 ? '' : 's'}`}
        {step.evidence.length > 0 && ` · ${step.evidence.length} file${step.evidence.length === 1 ? '' : 's'}`}
      </span>
    </div>
  );
}

/** "3m 05s / 10 min", "over by 2m 10s", or just the estimate before it starts. */
export function timeText(step: RunStep): string {
  const expected = step.expect !== null ? formatSeconds(step.expect) : null;
  if (step.elapsed === null) return expected ? `expect ${expected}` : '';
  const elapsed = formatDuration(step.elapsed * 1000);
  if (step.overrun > 0 && step.state !== 'skipped') return `${elapsed} / ${expected} — over by ${formatDuration(step.overrun * 1000)}`;
  return expected ? `${elapsed} / ${expected}` : elapsed;
}
