// The runner: a runbook run as a keyboard-first checklist. j/k or the arrows move, Space or
// Enter completes, b starts, s skips and f fails (each with a reason), n notes, a assigns, e
// attaches evidence, u resets, Shift+R starts the rollback. Everything works against the local
// core, so it runs with no network and no shared folder.
import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { InputOf } from '../../../shared/api/contract.ts';
import { isTerminal, STATUS_LABELS, TRANSITIONS, type ReleaseStatus } from '../../../shared/domain/releases.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { PromptDialog, type PromptRequest } from '../../components/PromptDialog.tsx';
import { SectionPage } from '../../components/SectionPage.tsx';
import { formatSeconds } from '../../format/time.ts';
import { useNow } from '../../hooks/useNow.ts';
import { isTextEntry } from '../../shell/keys.ts';
import { useApp, useClient } from '../../state/context.tsx';
import type { Problem } from '../../state/session.ts';
import { releasesView } from '../releases/index.ts';
import { readAsBase64, saveBytes } from './files.ts';
import { isTicking, liveRun } from './run-live.ts';
import { RunSummaryBar } from './RunSummaryBar.tsx';
import { RunSteps, stepOptionId } from './RunSteps.tsx';
import type { StepMethod } from './runbooks-slice.ts';
import { StepDetail, type StepActionKey } from './StepDetail.tsx';
import './runner.css';

type StepInput<M extends StepMethod> = InputOf<M>;

/** A rollback can start where the lifecycle allows ending in "rolled back": once a deployment is under way. */
function canRollBack(status: string): boolean {
  return (TRANSITIONS[status as ReleaseStatus] ?? []).includes('rolled_back');
}

function rollbackNotYet(status: string): string {
  return `A rollback starts once the release is deploying or stabilizing; it is ${STATUS_LABELS[status as ReleaseStatus] ?? status} now.`;
}

export function RunnerView({ release, run: runId }: { release: string; run: string }) {
  const run = useApp((s) => s.runbooks.runs[runId]);
  const problemLoading = useApp((s) => s.runbooks.problems[runId]);
  const loadRun = useApp((s) => s.loadRun);
  const runCommand = useApp((s) => s.runCommand);
  const people = useApp((s) => s.releases.people);
  const loadPeople = useApp((s) => s.loadPeople);
  const navigate = useApp((s) => s.navigate);
  const readOnly = useApp((s) => s.info?.access === 'read');
  const client = useClient();
  const [selected, setSelected] = useState<number | null>(null);
  const [prompt, setPrompt] = useState<PromptRequest | null>(null);
  const [problem, setProblem] = useState<{ text: string; retry?: () => void } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const list = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadRun(runId);
    void loadPeople();
  }, [runId, loadRun, loadPeople]);

  const now = useNow(1000, run ? isTicking(run) : false);

  // Land on the step to look at first, and put the keyboard in the list.
  const current = selected ?? run?.focus ?? 1;
  const hasRun = run !== undefined;
  useEffect(() => {
    if (hasRun) list.current?.focus({ preventScroll: true });
  }, [hasRun]);

  // Keep the selected step in view inside the list, without scrolling the page around it.
  useEffect(() => {
    const box = list.current;
    const row = run ? document.getElementById(stepOptionId(run.id, current)) : null;
    if (!box || !row) return;
    const heading = row.parentElement?.querySelector<HTMLElement>('.run-steps__heading')?.offsetHeight ?? 0;
    const top = row.offsetTop;
    if (top - heading < box.scrollTop) box.scrollTop = top - heading;
    else if (top + row.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = top + row.offsetHeight - box.clientHeight;
  }, [run, current]);

  const backToRelease = { label: run?.releaseName ?? 'Release', onClick: () => navigate('releases', { view: releasesView({ page: 'release', id: release }) }) };

  if (!run) {
    return (
      <SectionPage id="releases" title="Runbook" summary={problemLoading ? '' : 'Loading the runbook…'} back={backToRelease}>
        {problemLoading && (
          <p className="notice notice--danger" role="alert">
            <InlineCode text={problemLoading.message} />
          </p>
        )}
      </SectionPage>
    );
  }

  const live = liveRun(run, now);
  const step = live.steps[current - 1] ?? live.steps[0];
  const section = step ? run.sections[step.section] : undefined;

  /** Runs a step command; on success follows the run's new focus when this step is settled. */
  const act = async <M extends StepMethod>(method: M, input: StepInput<M>, what: string): Promise<Problem | null> => {
    const result = await runCommand(method, input);
    if (!result.ok) return result.problem;
    setProblem(null);
    setAnnouncement(what);
    const after = result.value;
    const mine = after.steps[current - 1];
    if (mine && (mine.state === 'done' || mine.state === 'skipped') && after.focus !== null) setSelected(after.focus);
    return null;
  };

  const report = (failed: Problem | null, retry?: () => void) => {
    if (failed) setProblem(retry ? { text: failed.message, retry } : { text: failed.message });
  };

  const base = step ? { release, run: run.id, step: step.number } : null;

  const doAction = (action: StepActionKey) => {
    if (!step || !base || readOnly) return;
    const label = `step ${step.number} “${step.title}”`;
    switch (action) {
      case 'start':
        return void act('step.start', base, `Started ${label}.`).then((f) =>
          report(f, step.waiting ? () => void act('step.start', { ...base, force: true }, `Started ${label}.`).then((g) => report(g)) : undefined),
        );
      case 'done':
        return void act('step.done', base, `Completed ${label}.`).then((f) =>
          report(f, step.waiting ? () => void act('step.done', { ...base, force: true }, `Completed ${label}.`).then((g) => report(g)) : undefined),
        );
      case 'reset':
        return void act('step.reset', base, `Reset ${label} to pending.`).then((f) => report(f));
      case 'skip':
      case 'fail':
        return setPrompt({
          title: `${action === 'skip' ? 'Skip' : 'Fail'} step ${step.number}`,
          description: step.title,
          label: action === 'skip' ? 'Why is it skipped?' : 'What went wrong?',
          submitLabel: action === 'skip' ? 'Skip step' : 'Mark failed',
          requiredMessage: 'Give a reason: it goes on the timeline and into the post-mortem.',
          danger: action === 'fail',
          onSubmit: (reason) =>
            action === 'skip' ? act('step.skip', { ...base, reason }, `Skipped ${label}.`) : act('step.fail', { ...base, reason }, `Marked ${label} failed.`),
        });
      case 'note':
        return setPrompt({
          title: `Note on step ${step.number}`,
          description: step.title,
          label: 'Note',
          submitLabel: 'Add note',
          multiline: true,
          requiredMessage: 'Write the note.',
          onSubmit: (text) => act('step.note', { ...base, text }, `Added a note to ${label}.`),
        });
      case 'assign':
        return setPrompt({
          title: `Assign step ${step.number}`,
          description: 'A person or a role. Leave it empty to unassign.',
          label: 'Assign to',
          submitLabel: 'Assign',
          initial: step.assignee?.to ?? '',
          suggestions: [...new Set([...people.map((p) => p.name), ...(step.owner ? [step.owner] : [])])],
          onSubmit: (to) => act('step.assign', { ...base, to: to || null }, to ? `Assigned ${label} to ${to}.` : `Unassigned ${label}.`),
        });
      case 'evidence':
        return fileInput.current?.click();
    }
  };

  const startRollback = () => {
    if (readOnly || !run.rollback.steps.length || run.rollback.started) return;
    if (!canRollBack(run.releaseStatus)) {
      setProblem({ text: rollbackNotYet(run.releaseStatus) });
      return;
    }
    setPrompt({
      title: 'Start the rollback',
      description: `The rollback is timed from now${run.rollback.target ? ` against its ${formatSeconds(run.rollback.target)} time-to-restore target` : ''}. The reason goes on the timeline.`,
      label: 'Why roll back?',
      submitLabel: 'Start rollback',
      requiredMessage: 'Give the reason for rolling back.',
      danger: true,
      onSubmit: async (reason) => {
        const failed = await act('rollback.start', { release, run: run.id, reason }, 'Rollback started; the rollback steps are selected.');
        // The decision switches the runner to the rollback plan.
        if (!failed && run.rollback.steps[0]) setSelected(run.rollback.steps[0]);
        return failed;
      },
    });
  };

  const attachEvidence = async (file: File) => {
    if (!base || !step) return;
    const base64 = await readAsBase64(file);
    const failed = await act('step.attach', { ...base, name: file.name, mime: file.type || 'application/octet-stream', base64 }, `Attached ${file.name} to step ${step.number}.`);
    report(failed);
  };

  const openEvidence = async (sha256: string, name: string, mime: string) => {
    try {
      const blob = await client.call('evidence.get', { sha256 });
      saveBytes(blob.base64, name, mime);
    } catch (error) {
      setProblem({ text: error instanceof Error ? error.message : String(error) });
    }
  };

  // A screenshot pasted anywhere in the runner (outside a text field) is evidence for the step.
  const onPaste = (event: ClipboardEvent<HTMLDivElement>) => {
    if (readOnly || isTextEntry(event.target)) return;
    const file = Array.from(event.clipboardData.files).find((f) => f.size > 0);
    if (!file) return;
    event.preventDefault();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const named = file.name && file.name !== 'image.png' ? file : new File([file], `screenshot-${stamp}.${file.type.split('/')[1] ?? 'png'}`, { type: file.type });
    void attachEvidence(named);
  };

  const move = (to: number) => setSelected(Math.max(1, Math.min(live.steps.length, to)));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTextEntry(event.target)) return;
    // A focused button keeps Space and Enter for itself.
    const onButton = event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement;
    const keys: Record<string, () => void> = {
      j: () => move(current + 1),
      ArrowDown: () => move(current + 1),
      k: () => move(current - 1),
      ArrowUp: () => move(current - 1),
      Home: () => move(1),
      End: () => move(live.steps.length),
      ...(onButton ? {} : { ' ': () => doAction('done'), Enter: () => doAction('done') }),
      b: () => doAction('start'),
      s: () => doAction('skip'),
      f: () => doAction('fail'),
      n: () => doAction('note'),
      a: () => doAction('assign'),
      e: () => doAction('evidence'),
      u: () => doAction('reset'),
      R: () => startRollback(),
    };
    const key = event.key === 'r' && event.shiftKey ? 'R' : event.key;
    const handler = keys[key];
    if (!handler) return;
    event.preventDefault();
    handler();
  };

  return (
    <SectionPage
      id="releases"
      title={run.title}
      summary={
        <>
          Runbook on <strong>{run.releaseName}</strong> · {run.steps.length} steps
          {run.origin.template ? ` · template version ${run.origin.template.version}` : run.origin.source?.name ? ` · imported from ${run.origin.source.name}` : ''}
        </>
      }
      back={backToRelease}
      actions={
        !readOnly && run.rollback.steps.length > 0 && !run.rollback.started && !isTerminal(run.releaseStatus as ReleaseStatus) ? (
          <button
            type="button"
            className="button button--danger"
            onClick={startRollback}
            aria-keyshortcuts="Shift+R"
            aria-disabled={!canRollBack(run.releaseStatus) || undefined}
            title={canRollBack(run.releaseStatus) ? 'Decide to roll back, with the reason' : rollbackNotYet(run.releaseStatus)}
          >
            Start rollback <kbd>Shift</kbd>+<kbd>R</kbd>
          </button>
        ) : null
      }
      wide
    >
      {/* Keys work anywhere in the runner except in a text field. */}
      <div className="runner" onKeyDown={onKeyDown} onPaste={onPaste}>
        <RunSummaryBar run={live} />
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
        {problem && (
          <div className="notice notice--danger runner__problem" role="alert" data-testid="runner-problem">
            <InlineCode text={problem.text} />
            {problem.retry && (
              <button type="button" className="button button--small" onClick={problem.retry}>
                Do it anyway
              </button>
            )}
          </div>
        )}
        <div className="runner__body">
          <RunSteps ref={list} run={run} steps={live.steps} selected={step?.number ?? 1} onSelect={setSelected} />
          {step && (
            <StepDetail
              step={step}
              sectionTitle={section?.title ?? ''}
              sectionNotes={section?.notes ?? ''}
              readOnly={readOnly || isTerminal(run.releaseStatus as ReleaseStatus)}
              onAction={doAction}
              onOpenEvidence={(sha, name, mime) => void openEvidence(sha, name, mime)}
            />
          )}
        </div>
        {readOnly ? (
          <p className="runner__keys">This display is read-only: it follows the run as people work on it.</p>
        ) : (
          <p className="runner__keys">
            <kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> move · <kbd>Space</kbd> complete · <kbd>b</kbd> start · <kbd>s</kbd> skip · <kbd>f</kbd> fail ·{' '}
            <kbd>n</kbd> note · <kbd>a</kbd> assign · <kbd>e</kbd> evidence (or paste a screenshot) · <kbd>u</kbd> reset · <kbd>Shift</kbd>+<kbd>R</kbd> rollback ·{' '}
            <kbd>?</kbd> all keys
          </p>
        )}
      </div>
      <input
        ref={fileInput}
        type="file"
        hidden
        data-testid="evidence-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void attachEvidence(file);
        }}
      />
      <PromptDialog
        request={prompt}
        onClose={() => {
          setPrompt(null);
          list.current?.focus({ preventScroll: true });
        }}
      />
    </SectionPage>
  );
}
