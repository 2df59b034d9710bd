// The §1.7 repair confirmation: which device, which seq ranges its folder lost that this device
// holds, how many files would be written; writes only on "Write", then shows what was written.
// Native <dialog>: focus is trapped, the page behind is inert and Esc cancels.
import { useEffect, useId, useRef, useState } from 'react';
import { describeRanges, type RepairPlan, type RepairResult } from '../../../shared/sync/status.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { useClient } from '../../state/context.tsx';
import { toProblem, type Problem } from '../../state/session.ts';

type Step = { kind: 'loading' } | { kind: 'plan'; plan: RepairPlan } | { kind: 'writing'; plan: RepairPlan } | { kind: 'done'; result: RepairResult } | { kind: 'refused'; problem: Problem; plan: RepairPlan | null };

export function RepairDialog({ device, onClose }: { device: string | null; onClose(): void }) {
  const client = useClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [shown, setShown] = useState<string | null>(null);

  if (device !== shown) {
    setShown(device);
    setStep({ kind: 'loading' });
  }

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (device && !el.open) el.showModal();
    if (!device && el.open) el.close();
    if (!device) return;
    let live = true;
    client.call('sync.repairPlan', { device }).then(
      (plan) => live && setStep({ kind: 'plan', plan }),
      (error: unknown) => live && setStep({ kind: 'refused', problem: toProblem(error), plan: null }),
    );
    return () => {
      live = false;
    };
  }, [client, device]);

  // The Write button goes away with the answer: keep the keyboard in the dialog, on Close.
  useEffect(() => {
    if (step.kind === 'done' || step.kind === 'refused') closeButton.current?.focus();
  }, [step.kind]);

  const write = async (plan: RepairPlan) => {
    setStep({ kind: 'writing', plan });
    try {
      setStep({ kind: 'done', result: await client.call('sync.repair', { device: plan.device, confirm: true }) });
    } catch (error) {
      setStep({ kind: 'refused', problem: toProblem(error), plan });
    }
  };

  const close = () => dialog.current?.close();
  const plan = step.kind === 'plan' || step.kind === 'writing' ? step.plan : step.kind === 'refused' ? step.plan : null;
  const canWrite = plan !== null && plan.files.length > 0 && step.kind !== 'refused';

  return (
    <dialog ref={dialog} className="modal sync-repair" aria-labelledby={titleId} onClose={onClose} data-testid="sync-repair-dialog">
      {shown && (
        <div className="modal__body">
          <h2 id={titleId}>{step.kind === 'done' ? `Repaired the shared folder for device ${shown}` : `Repair the shared folder for device ${shown}?`}</h2>
          {step.kind === 'loading' && (
            <p role="status">
              <span className="spinner spinner--small" aria-hidden="true" /> Comparing the folder with what this device holds…
            </p>
          )}
          {plan && <PlanFacts plan={plan} />}
          {step.kind === 'refused' && (
            <p className="notice notice--danger" role="alert" data-testid="sync-repair-refused">
              <InlineCode text={step.problem.message} />
            </p>
          )}
          {step.kind === 'done' && (
            <p className="notice" role="status" data-testid="sync-repair-done">
              {step.result.written.length === 0
                ? 'Nothing was written: the folder already holds every file.'
                : `Wrote ${count(step.result.written.length, 'file')} with ${count(step.result.events, 'event')}. The other devices take the events on their next pass.`}
              {step.result.existed.length > 0 && ` Left alone because a file of that name exists: ${step.result.existed.join(', ')}.`}
              {step.result.after.missing.length > 0 && ` Still missing: seq ${describeRanges(step.result.after.missing)}.`}
            </p>
          )}
          <div className="modal__actions">
            <button type="button" className="button" ref={closeButton} onClick={close} autoFocus={!canWrite}>
              {step.kind === 'done' ? 'Close' : 'Cancel'} <kbd>Esc</kbd>
            </button>
            {canWrite && (
              <button type="button" className="button button--primary" autoFocus aria-disabled={step.kind === 'writing' || undefined} onClick={() => step.kind === 'plan' && void write(step.plan)}>
                {step.kind === 'writing' ? 'Writing…' : `Write ${count(plan.files.length, 'file')}`}
              </button>
            )}
          </div>
        </div>
      )}
    </dialog>
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;
}

function PlanFacts({ plan }: { plan: RepairPlan }) {
  if (plan.missing.length === 0) {
    return (
      <p data-testid="sync-repair-plan">
        Nothing to repair: every event of this device that this laptop holds (seq 1–{plan.held.toLocaleString()}) is in a valid file in
        the shared folder. If another laptop reports it missing, it may hold less than this one; run the repair there.
      </p>
    );
  }
  return (
    <div data-testid="sync-repair-plan">
      <p className="field__hint">
        Its log folder lost events this laptop still holds (restored from an old backup?). They are written back exactly as that device
        signed them; nothing existing is overwritten or deleted.
      </p>
      <dl className="sync-repair__facts">
        <div>
          <dt>Device</dt>
          <dd>
            <span className="mono">{plan.device}</span>
            {plan.person ? ` (${plan.person})` : ''}
          </dd>
        </div>
        <div>
          <dt>Missing from its folder</dt>
          <dd data-testid="sync-repair-ranges">
            seq {describeRanges(plan.missing)} ({count(plan.events, 'event')})
          </dd>
        </div>
        <div>
          <dt>Files to write</dt>
          <dd data-testid="sync-repair-files">{plan.files.length}</dd>
        </div>
      </dl>
      <ul className="sync-repair__paths mono">
        {plan.files.map((f) => (
          <li key={f.path}>{f.path}</li>
        ))}
      </ul>
    </div>
  );
}
