// The go/no-go board of one release, sized for a wall: criteria by group with their state, who
// answered and the evidence; one sign-off row per required role; the decision with its blockers.
// Keyboard: ↑/↓ move between criteria, M answers met, N not met, W waived (both ask why).
import { useRef, useState, type KeyboardEvent } from 'react';
import type { AnswerHistoryItem, GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import type { BoardCriterion, CriterionState } from '../../../shared/gonogo/board.ts';
import { BOARD_STATE_LABELS } from '../../../shared/gonogo/board.ts';
import { SIGNOFF_ROLE_LABELS, type Answer } from '../../../shared/gonogo/checklist.ts';
import { SectionPage } from '../../components/SectionPage.tsx';
import { formatDateTime } from '../../format/time.ts';
import { useApp, useClient } from '../../state/context.tsx';
import { DecisionPanel } from './DecisionPanel.tsx';
import { SignoffPanel } from './SignoffPanel.tsx';
import { useBoard } from './use-board.ts';
import { readAsBase64 } from '../runbooks/index.ts';

const STATE_TONE: Record<string, string> = { met: 'ok', not_met: 'danger', waived: 'warn', unanswered: 'neutral' };
const STATE_TEXT: Record<CriterionState, string> = { met: 'Met', not_met: 'Not met', waived: 'Waived', unanswered: 'Open' };
const BOARD_TONE: Record<string, string> = { go: 'ok', go_with_conditions: 'warn', no_go: 'danger', decision_conflict: 'danger', ready: 'ok', open: 'warn', no_checklist: 'neutral', none: 'neutral' };

export function GoNoGoBoard({ release }: { release: string }) {
  const { board, problem, loading, act } = useBoard(release);
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const readOnly = useApp((s) => s.info?.access === 'read');
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
        readOnly ? (
          <p className="gonogo-muted">No checklist is attached to this release yet.</p>
        ) : (
          <NoChecklist onAttach={() => act(() => client.call('gonogo.attach', { release: board.release }))} />
        )
      ) : (
        <div className="gonogo-board">
          <Criteria board={board} act={act} readOnly={readOnly} />
          <div className="gonogo-side">
            <SignoffPanel board={board} act={act} readOnly={readOnly} />
            <DecisionPanel board={board} act={act} readOnly={readOnly} />
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

/** On a read-only wall display the board shows everything and offers no answers. */
function Criteria({ board, act, readOnly }: { board: GoNoGoDetail; act: Act; readOnly: boolean }) {
  const client = useClient();
  const listRef = useRef<HTMLDivElement>(null);
  const [asking, setAsking] = useState<{ id: string; answer: Answer } | null>(null);
  const [error, setError] = useState<{ id: string; text: string } | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [history, setHistory] = useState<AnswerHistoryItem[]>([]);

  const showHistory = async (id: string) => {
    try {
      setHistory(await client.call('gonogo.history', { release: board.release, criterion: id }));
      setHistoryOf(id);
    } catch (e) {
      setError({ id, text: e instanceof Error ? e.message : String(e) });
    }
  };

  const answer = async (c: BoardCriterion, value: Answer, comment?: string, evidence?: Evidence) => {
    const problem = await act(() =>
      client.call('gonogo.answer', {
        release: board.release,
        criterion: c.id,
        answer: value,
        ...(comment ? { comment } : {}),
        ...(evidence ? { evidence } : {}),
      }),
    );
    setError(problem ? { id: c.id, text: problem } : null);
    if (!problem) {
      setAsking(null);
      if (historyOf === c.id) void showHistory(c.id);
      // Back to the answered row (a closed comment form left focus nowhere), unless the person
      // already moved on to another row while the answer was on its way.
      const active = document.activeElement as HTMLElement | null;
      const movedOn = active?.dataset.criterion !== undefined && active.dataset.criterion !== c.id;
      if (!movedOn) listRef.current?.querySelector<HTMLElement>(`[data-criterion="${c.id}"]`)?.focus();
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
    } else if (readOnly && key !== 'h') {
      return;
    } else if (key === 'm') {
      event.preventDefault();
      void answer(c, 'met');
    } else if (key === 'n' || key === 'w' || key === 'e') {
      event.preventDefault();
      setAsking({ id: c.id, answer: key === 'n' ? 'not_met' : key === 'w' ? 'waived' : 'met' });
    } else if (key === 'h') {
      event.preventDefault();
      if (historyOf === c.id) setHistoryOf(null);
      else void showHistory(c.id);
    }
  };

  return (
    <div className="gonogo-criteria" ref={listRef}>
      <p className="gonogo-keys" id="gonogo-keys">
        {readOnly ? (
          <>
            ↑/↓ move · <kbd>H</kbd> history
          </>
        ) : (
          <>
            ↑/↓ move · <kbd>M</kbd> met · <kbd>N</kbd> not met · <kbd>W</kbd> waived · <kbd>E</kbd> met with evidence · <kbd>H</kbd> history
          </>
        )}
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
                  {!readOnly && (
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
                  )}
                </div>
                {(c.answer?.comment || c.answer?.auto) && <p className="gonogo-criterion__comment">{c.answer.comment ?? c.answer.auto?.detail}</p>}
                {asking?.id === c.id && <AnswerForm answer={asking.answer} onCancel={() => setAsking(null)} onSave={(comment, evidence) => answer(c, asking.answer, comment, evidence)} />}
                {historyOf === c.id && (
                  <ol className="gonogo-history" aria-label={`Answers to “${c.statement}”, oldest first`}>
                    {history.length === 0 && <li className="gonogo-muted">Not answered yet.</li>}
                    {history.map((h) => (
                      <li key={h.event}>
                        <strong>{STATE_TEXT[h.answer]}</strong> — {h.auto ? 'automatic, ' : ''}
                        {h.by.name} ({h.by.role}), {formatDateTime(h.at)}
                        {h.comment && <span>: {h.comment}</span>}
                      </li>
                    ))}
                  </ol>
                )}
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

type Evidence = { url: string } | { name: string; mime: string; base64: string };

const QUESTION: Record<Answer, string> = { met: 'Comment (optional)', not_met: 'Why is it not met?', waived: 'Why is it waived?' };

function AnswerForm({ answer, onSave, onCancel }: { answer: Answer; onSave(comment: string, evidence?: Evidence): Promise<string | null>; onCancel(): void }) {
  const [comment, setComment] = useState('');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const save = async () => {
    const evidence: Evidence | undefined = file
      ? { name: file.name, mime: file.type || 'application/octet-stream', base64: await readAsBase64(file) }
      : url.trim()
        ? { url: url.trim() }
        : undefined;
    await onSave(comment.trim(), evidence);
  };
  return (
    <form
      className="gonogo-answer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <label className="field">
        <span className="field__label">{QUESTION[answer]}</span>
        <input autoFocus value={comment} onChange={(e) => setComment(e.target.value)} required={answer !== 'met'} />
      </label>
      <label className="field">
        <span className="field__label">Evidence link (optional)</span>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" disabled={file !== null} />
      </label>
      <label className="field">
        <span className="field__label">Or attach a file</span>
        <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <div className="gonogo-answer-form__buttons">
        <button type="submit" className="button button--primary">
          Record {STATE_TEXT[answer].toLowerCase()}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
