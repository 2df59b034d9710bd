// The decision: what it rests on (blockers), and go / go with conditions / no-go with the
// rationale. A go with open items asks for the exception; a decision conflict asks to settle it.
import { useState } from 'react';
import type { GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import type { DecisionOutcome } from '../../../shared/events/gonogo-events.ts';
import { exceptionNeeded } from '../../../shared/gonogo/board.ts';
import { formatDateTime } from '../../format/time.ts';
import { useClient } from '../../state/context.tsx';
import type { BoardState } from './use-board.ts';

const OUTCOMES: { value: DecisionOutcome; label: string }[] = [
  { value: 'go', label: 'Go' },
  { value: 'go_with_conditions', label: 'Go with conditions' },
  { value: 'no_go', label: 'No-go' },
];

export function DecisionPanel({ board, act, readOnly }: { board: GoNoGoDetail; act: BoardState['act']; readOnly: boolean }) {
  const client = useClient();
  const [outcome, setOutcome] = useState<DecisionOutcome>('go');
  const [rationale, setRationale] = useState('');
  const [conditions, setConditions] = useState('');
  const [exception, setException] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const open = exceptionNeeded(board);
  const conflict = board.decision.state === 'decision_conflict';
  const canDecide = board.status === 'go_no_go' || conflict;
  const needsException = outcome !== 'no_go' && open.length > 0;
  const decided = board.state === 'go' || board.state === 'go_with_conditions' || board.state === 'no_go';

  const decide = async () => {
    const problem = await act(() =>
      client.call('gonogo.decide', {
        release: board.release,
        outcome,
        rationale: rationale.trim(),
        ...(outcome === 'go_with_conditions' ? { conditions: conditions.trim() } : {}),
        ...(needsException && exception.trim() ? { exception: exception.trim() } : {}),
        resolveConflict: conflict,
      }),
    );
    setMessage(problem);
  };

  return (
    <section className="panel gonogo-decision" aria-labelledby="gonogo-decision-title">
      <h2 id="gonogo-decision-title" className="panel__title">
        Decision
      </h2>
      {board.decision.values.length > 0 && (
        <ul className="gonogo-decided">
          {board.decision.values.map((v) => (
            <li key={v.event} className={`gonogo-decided__item gonogo-decided__item--${v.outcome}`}>
              <strong>{OUTCOMES.find((o) => o.value === v.outcome)?.label}</strong> — {v.by.name}, {formatDateTime(v.at)}
              {v.rationale && <p className="gonogo-decided__text">{v.rationale}</p>}
              {v.conditions && <p className="gonogo-decided__text">Conditions: {v.conditions}</p>}
              {v.exception && <p className="gonogo-decided__text gonogo-decided__exception">Exception: {v.exception}</p>}
            </li>
          ))}
        </ul>
      )}
      <h3 className="gonogo-subtitle">
        {board.blockers.length === 0 ? (decided ? 'Nothing open' : 'Nothing open: ready to decide') : `${decided ? 'Still open' : 'Open before a go'} (${board.blockers.length})`}
      </h3>
      {board.blockers.length > 0 && (
        <ul className="gonogo-blockers" data-testid="gonogo-blockers">
          {board.blockers.slice(0, 12).map((b, i) => (
            <li key={`${b.kind}-${b.ref ?? i}`} className={`gonogo-blocker gonogo-blocker--${b.kind}`}>
              {b.text}
            </li>
          ))}
          {board.blockers.length > 12 && <li className="gonogo-muted">and {board.blockers.length - 12} more</li>}
        </ul>
      )}
      {board.invalidSignoffs.length > 0 && (
        <p className="gonogo-muted">
          {board.invalidSignoffs.length} sign-off{board.invalidSignoffs.length === 1 ? '' : 's'} rejected and not counted.
        </p>
      )}
      {readOnly ? null : canDecide ? (
        <form
          className="gonogo-decision__form"
          onSubmit={(e) => {
            e.preventDefault();
            void decide();
          }}
        >
          <fieldset className="gonogo-outcomes">
            <legend>{conflict ? 'Settle the conflicting decisions' : 'Outcome'}</legend>
            {OUTCOMES.map((o) => (
              <label key={o.value} className={`gonogo-outcome gonogo-outcome--${o.value}`}>
                <input type="radio" name="outcome" value={o.value} checked={outcome === o.value} onChange={() => setOutcome(o.value)} />
                {o.label}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span className="field__label">Rationale</span>
            <input value={rationale} onChange={(e) => setRationale(e.target.value)} required />
          </label>
          {outcome === 'go_with_conditions' && (
            <label className="field">
              <span className="field__label">Conditions</span>
              <input value={conditions} onChange={(e) => setConditions(e.target.value)} required />
            </label>
          )}
          {needsException && (
            <label className="field">
              <span className="field__label">Exception: why go with {open.length} open item{open.length === 1 ? '' : 's'} (emergency change)</span>
              <input value={exception} onChange={(e) => setException(e.target.value)} required />
            </label>
          )}
          <button type="submit" className="button button--primary gonogo-decision__submit">
            Record {OUTCOMES.find((o) => o.value === outcome)?.label.toLowerCase()}
          </button>
        </form>
      ) : (
        <p className="gonogo-muted">The release is {board.statusLabel}; a decision is taken at go/no-go.</p>
      )}
      {message && (
        <p className="gonogo-error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
