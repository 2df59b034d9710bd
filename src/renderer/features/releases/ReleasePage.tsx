// One release: its facts, the lifecycle moves allowed now, its runbooks with their progress,
// and its timeline.
import { useEffect, useState, type ReactNode } from 'react';
import type { ReleaseDetail } from '../../../shared/api/releases.ts';
import { STATUS_LABELS, type TransitionOption } from '../../../shared/domain/releases.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { MarkdownView } from '../../components/MarkdownView.tsx';
import { PromptDialog, type PromptRequest } from '../../components/PromptDialog.tsx';
import { SectionPage } from '../../components/SectionPage.tsx';
import { formatDateTime } from '../../format/time.ts';
import { useApp } from '../../state/context.tsx';
import { ReleaseTimeline } from '../timeline/index.ts';
import { CLASS_LABELS, STATUS_TONES, STRATEGY_LABELS, TYPE_LABELS, statusText, windowText } from './release-text.ts';
import { releasesView } from './routes.ts';
import { RunbooksPanel } from './RunbooksPanel.tsx';

export function ReleasePage({ id }: { id: string }) {
  const detail = useApp((s) => s.releases.details[id]);
  const problem = useApp((s) => s.releases.detailProblems[id]);
  const loadRelease = useApp((s) => s.loadRelease);
  const navigate = useApp((s) => s.navigate);
  const readOnly = useApp((s) => s.info?.access === 'read');
  const noteRelease = useApp((s) => s.noteRelease);
  const [prompt, setPrompt] = useState<PromptRequest | null>(null);

  useEffect(() => {
    void loadRelease(id);
  }, [id, loadRelease]);

  const toList = () => navigate('releases', { view: '' });
  const back = { label: 'Releases', onClick: toList };

  if (!detail) {
    return (
      <SectionPage id="releases" title="Release" summary={problem ? '' : 'Loading the release…'} back={back}>
        {problem && (
          <p className="notice notice--danger" role="alert">
            <InlineCode text={problem.message} />
          </p>
        )}
      </SectionPage>
    );
  }

  const addNote = () =>
    setPrompt({
      title: 'Add a note to the release',
      label: 'Note',
      submitLabel: 'Add note',
      multiline: true,
      requiredMessage: 'Write the note.',
      onSubmit: async (text) => {
        const result = await noteRelease({ id, text });
        return result.ok ? null : result.problem;
      },
    });

  const actions = readOnly ? null : (
    <>
      <button type="button" className="button" onClick={addNote}>
        Add note
      </button>
      <button type="button" className="button" onClick={() => navigate('releases', { view: releasesView({ page: 'edit', id }) })}>
        Edit
      </button>
    </>
  );

  return (
    <SectionPage
      id="releases"
      title={
        <>
          {detail.name}
          {detail.version && <span className="release-page__version"> {detail.version}</span>}
        </>
      }
      summary={
        <span className="release-page__summary">
          <span className={`badge badge--${STATUS_TONES[detail.status]}`} data-testid="release-status">
            {statusText(detail.statusLabel)}
          </span>
          <span>
            {TYPE_LABELS[detail.type]} release · {CLASS_LABELS[detail.changeClass]}
          </span>
          <span className="mono release-page__id">{detail.id}</span>
        </span>
      }
      back={back}
      actions={actions}
      wide
    >
      <div className="release-page__grid">
        <div className="release-page__main">
          <Lifecycle detail={detail} readOnly={readOnly} onPrompt={setPrompt} />
          <RunbooksPanel release={detail} readOnly={readOnly} />
          <section className="panel" aria-labelledby="release-timeline-title">
            <h2 id="release-timeline-title" className="panel__title">
              Timeline
            </h2>
            <ReleaseTimeline release={detail.id} zone={detail.window?.zone} label={`Timeline of ${detail.name}`} compact />
          </section>
        </div>
        <Facts detail={detail} />
      </div>
      <PromptDialog request={prompt} onClose={() => setPrompt(null)} />
    </SectionPage>
  );
}

function Lifecycle({ detail, readOnly, onPrompt }: { detail: ReleaseDetail; readOnly: boolean; onPrompt(r: PromptRequest): void }) {
  const transitionRelease = useApp((s) => s.transitionRelease);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const allowed = detail.transitions.filter((t) => t.allowed);
  const blocked = detail.transitions.filter((t) => !t.allowed);

  const move = async (option: TransitionOption) => {
    if (option.reasonRequired) {
      onPrompt({
        title: `Mark the release ${option.label}`,
        description: 'This ends the release; the reason goes on its timeline and into the post-mortem.',
        label: 'Reason',
        submitLabel: `Mark ${option.label}`,
        requiredMessage: 'Give a reason.',
        danger: true,
        onSubmit: async (reason) => {
          const result = await transitionRelease({ id: detail.id, to: option.to, reason });
          return result.ok ? null : result.problem;
        },
      });
      return;
    }
    setBusy(true);
    const result = await transitionRelease({ id: detail.id, to: option.to });
    setBusy(false);
    setProblem(result.ok ? null : result.problem.message);
  };

  return (
    <section className="panel lifecycle" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title" className="panel__title">
        Lifecycle
      </h2>
      <p>
        Now <strong data-testid="lifecycle-status">{statusText(detail.statusLabel)}</strong>.{' '}
        {allowed.length === 0 && blocked.length === 0 && 'This is an ending: no further moves.'}
      </p>
      {!readOnly && allowed.length > 0 && (
        <div className="lifecycle__moves" role="group" aria-label="Move the release to">
          {allowed.map((option) => (
            <button
              key={option.to}
              type="button"
              className={`button ${option.reasonRequired ? 'button--danger' : 'button--primary'}`}
              aria-disabled={busy || undefined}
              onClick={() => void move(option)}
            >
              {moveLabel(option)}
            </button>
          ))}
        </div>
      )}
      {blocked.length > 0 && (
        <ul className="lifecycle__blocked">
          {blocked.map((option) => (
            <li key={option.to}>
              {statusText(STATUS_LABELS[option.to])}: {option.blockedBy}.
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p className="notice notice--danger" role="alert">
          <InlineCode text={problem} />
        </p>
      )}
    </section>
  );
}

function moveLabel(option: TransitionOption): string {
  const words: Record<string, string> = {
    planned: 'Back to planned',
    scheduled: 'Schedule',
    go_no_go: 'Open go/no-go',
    deploying: 'Start deploying',
    stabilizing: 'Deployed — stabilizing',
    closed: 'Close the release',
    rolled_back: 'Mark rolled back',
    cancelled: 'Cancel the release',
  };
  return words[option.to] ?? `Move to ${option.label}`;
}

function Facts({ detail }: { detail: ReleaseDetail }) {
  const window = detail.window ? windowText(detail.window) : null;
  const rows: [string, ReactNode][] = [
    ['Window', window ? <>{window.here}{window.there && <span className="facts__sub">Release zone {window.zone}: {window.there}</span>}{!window.there && <span className="facts__sub">{window.zone}</span>}</> : 'Not planned yet'],
    ['Type', TYPE_LABELS[detail.type]],
    ['Change class', CLASS_LABELS[detail.changeClass]],
    ['Change ticket', detail.ticket ?? '—'],
    ['Services', detail.services.length > 0 ? detail.services.join(', ') : '—'],
    ['Environment', detail.environment ?? '—'],
    ['Strategy', detail.strategy ? STRATEGY_LABELS[detail.strategy] : 'Not decided'],
    ['Owner', detail.ownerName ?? '—'],
    ['Planned by', detail.createdBy ? <>{detail.createdBy.name}{detail.createdAt && <span className="facts__sub">{formatDateTime(detail.createdAt)}</span>}</> : '—'],
  ];
  return (
    <aside className="panel facts" aria-labelledby="facts-title">
      <h2 id="facts-title" className="panel__title">
        Facts
      </h2>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="facts__scope-title">Scope</h3>
      {detail.scope ? <MarkdownView text={detail.scope} className="facts__scope" /> : <p className="facts__sub">No scope written yet.</p>}
      {detail.conflicts.length > 0 && <p className="notice notice--warn">Concurrent edits waiting to be settled: {detail.conflicts.join(', ')}.</p>}
    </aside>
  );
}
