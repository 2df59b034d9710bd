// The go/no-go board of one release, sized for a wall: criteria by group with their state, who
// answered and the evidence; one sign-off row per required role; the decision with its blockers.
// Keyboard: ↑/↓ move between criteria, M answers met, N not met, W waived (both ask why).
import { useRef, useState, type KeyboardEvent } from 'react';
import type { GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import type { BoardCriterion } from '../../../shared/gonogo/board.ts';
import { BOARD_STATE_LABELS } from '../../../shared/gonogo/board.ts';
import { SIGNOFF_ROLE_LABELS, type Answer } from '../../../shared/gonogo/checklist.ts';
import { SectionPage } from '../../components/SectionPage.tsx';
import { formatDateTime } from '../../format/time.ts';
import { useApp, useClient } from '../../state/context.tsx';
import { DecisionPanel } from './DecisionPanel.tsx';
import { SignoffPanel } from './SignoffPanel.tsx';
import { useBoard } from './use-board.ts';

const STATE_TONE: Record<string, string> = { met: 'ok', not_met: 'danger', waived: 'warn', unanswered: 'neutral' };
const STATE_TEXT: Record<string, string> = { met: 'Met', not_met: 'Not met', waived: 'Waived', unanswered: 'Open' };
const BOARD_TONE: Record<string, string> = { go: 'ok', go_with_conditions: 'warn', no_go: 'danger', decision_conflict: 'danger', ready: 'ok', open: 'warn', no_checklist: 'neutral', none: 'neutral' };

export function GoNoGoBoard({ release }: { release: string }) {
  const { board, problem, loading, act } = useBoard(release);
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const back = { label: 'All releases', onClick: () => navigate('gonogo', { view: '' }) };

  if (!board) {
    return (
      <SectionPage id="gonogo" summary="The go/no-go board of a release." title="Go/no-go" back={back}>
        {problem ? (
          <p className="gonogo-error" role="alert">
            {problem}
          </p>
        ) : (
          <p className="gonogo-muted">{loading ? 'Loading the board…' : ''}</p>
        )}
      </SectionPage>
    );
  }

  return (
    <SectionPage
      id="gonogo"
      wide
      back={back}
      title={
        <>
          {board.name} <span className="gonogo-muted">{board.version}</span>
        </>
      }
      summary={
        <>
          Release {board.statusLabel} ·{' '}
          <span className={`badge badge--${BOARD_TONE[board.state] ?? 'neutral'}`} data-testid="gonogo-state">
            {BOARD_STATE_LABELS[board.state]}
          </span>
          {board.checklist && (
            <span className="gonogo-muted">
              {' '}
              · {board.counts.answered}/{board.counts.criteria} answered · {board.checklist.title}
            </span>
          )}
        </>
      }
    >
      {!board.checklist ? (
        <NoChecklist onAttach={() => act(() => client.call('gonogo.attach', { release: board.release }))} />
      ) : (
        <div className="gonogo-board">
          <Criteria board={board} act={act} />
          <div className="gonogo-side">
            <SignoffPanel board={board} act={act} />
            <DecisionPanel board={board} act={act} />
          </div>
        </div>
      )}
    </SectionPage>
  );
}

function NoChecklist({ onAttach }: { onAttach: () => Promise<string | null> }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="panel gonogo-empty">
      <h2>No checklist on this release yet</h2>
      <p>Attach the release-readiness checklist: readiness, testing and quality gates, operations, business, security and compliance.</p>
      <button type="button" className="button button--primary" onClick={() => void onAttach().then(setError)}>
        Attach the default checklist
      </button>
      {error && (
        <p className="gonogo-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

type Act = ReturnType<typeof useBoard>['act'];

function Criteria({ board, act }: { board: GoNoGoDetail; act: Act }) {
  const client = useClient();
  const listRef = useRef<HTMLDivElement>(null);
  const [asking, setAsking] = useState<{ id: string; answer: Answer } | null>(null);
  const [error, setError] = useState<{ id: string; text: string } | null>(null);

  const answer = async (c: BoardCriterion, value: Answer, comment?: string, url?: string) => {
    const problem = await act(() =>
      client.call('gonogo.answer', {
        release: board.release,
        criterion: c.id,
        answer: value,
        ...(comment ? { comment } : {}),
        ...(url ? { evidence: { url } } : {}),
      }),
    );
    setError(problem ? { id: c.id, text: problem } : null);
    if (!problem) {
      setAsking(null);
      listRef.current?.querySelector<HTMLElement>(`[data-criterion="${c.id}"]`)?.focus();
    }
    return problem;
  };

  const onRowKey = (event: KeyboardEvent<HTMLElement>, c: BoardCriterion) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-criterion]') ?? [])];
    const at = rows.indexOf(event.currentTarget);
    const key = event.key.toLowerCase();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      rows[Math.max(0, Math.min(rows.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      rows[event.key === 'Home' ? 0 : rows.length - 1]?.focus();
    } else if (key === 'm') {
      event.preventDefault();
      void answer(c, 'met');
    } else if (key === 'n' || key === 'w') {
      event.preventDefault();
      setAsking({ id: c.id, answer: key === 'n' ? 'not_met' : 'waived' });
    }
  };

  return (
    <div className="gonogo-criteria" ref={listRef}>
      <p className="gonogo-keys" id="gonogo-keys">
        ↑/↓ move · <kbd>M</kbd> met · <kbd>N</kbd> not met · <kbd>W</kbd> waived
      </p>
      {board.groups.map((group) => (
        <section key={group.group} className="gonogo-group" aria-labelledby={`group-${group.group}`}>
          <h2 id={`group-${group.group}`} className="gonogo-group__title">
            {group.label}
          </h2>
          <ul className="gonogo-list">
            {group.criteria.map((c) => (
              <li
                key={c.id}
                className={`gonogo-criterion gonogo-criterion--${c.state}`}
                data-criterion={c.id}
                tabIndex={0}
                aria-describedby="gonogo-keys"
                aria-label={`${c.statement}: ${STATE_TEXT[c.state]}${c.mandatory ? '' : ' (optional)'}`}
                onKeyDown={(e) => onRowKey(e, c)}
              >
                <div className="gonogo-criterion__main">
                  <span className={`badge badge--${STATE_TONE[c.state]} gonogo-criterion__state`}>{c.conflict ? 'Conflict' : STATE_TEXT[c.state]}</span>
                  <span className="gonogo-criterion__statement">
                    {c.statement}
                    {!c.mandatory && <span className="gonogo-muted"> · optional</span>}
                    {c.auto && <span className="gonogo-muted"> · automatic</span>}
                  </span>
                </div>
                <div className="gonogo-criterion__foot">
                  <div className="gonogo-criterion__meta">
                    <span>to answer: {SIGNOFF_ROLE_LABELS[c.role]}</span>
                    {c.answer && (
                      <span>
                        {' '}
                        · {c.answer.auto ? 'automatic, ' : ''}
                        {c.answer.by.name} ({c.answer.by.role}), {formatDateTime(c.answer.at)}
                      </span>
                    )}
                    {c.answer?.evidence && (
                      <span>
                        {' '}
                        · evidence:{' '}
                        {'url' in c.answer.evidence ? (
                          <a href={c.answer.evidence.url} target="_blank" rel="noreferrer noopener" tabIndex={-1}>
                            {c.answer.evidence.url}
                          </a>
                        ) : (
                          c.answer.evidence.name
                        )}
                      </span>
                    )}
                  </div>
                  <span className="gonogo-criterion__actions">
                    <button type="button" className="button button--quiet" tabIndex={-1} onClick={() => void answer(c, 'met')}>
                      Met
                    </button>
                    <button type="button" className="button button--quiet" tabIndex={-1} onClick={() => setAsking({ id: c.id, answer: 'not_met' })}>
                      Not met
                    </button>
                    <button type="button" className="button button--quiet" tabIndex={-1} onClick={() => setAsking({ id: c.id, answer: 'waived' })}>
                      Waive
                    </button>
                  </span>
                </div>
                {(c.answer?.comment || c.answer?.auto) && <p className="gonogo-criterion__comment">{c.answer.comment ?? c.answer.auto?.detail}</p>}
                {asking?.id === c.id && <AnswerForm answer={asking.answer} onCancel={() => setAsking(null)} onSave={(comment, url) => answer(c, asking.answer, comment, url)} />}
                {error?.id === c.id && (
                  <p className="gonogo-error" role="alert">
                    {error.text}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function AnswerForm({ answer, onSave, onCancel }: { answer: Answer; onSave(comment: string, url: string): Promise<string | null>; onCancel(): void }) {
  const [comment, setComment] = useState('');
  const [url, setUrl] = useState('');
  const label = answer === 'not_met' ? 'Why is it not met?' : 'Why is it waived?';
  return (
    <form
      className="gonogo-answer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(comment.trim(), url.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <label className="field">
        <span className="field__label">{label}</span>
        <input autoFocus value={comment} onChange={(e) => setComment(e.target.value)} required />
      </label>
      <label className="field">
        <span className="field__label">Evidence link (optional)</span>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
      </label>
      <div className="gonogo-answer-form__buttons">
        <button type="submit" className="button button--primary">
          Record {answer === 'not_met' ? 'not met' : 'waived'}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
