// The modal every metrics editor opens in: native <dialog> (focus trapped, Esc cancels), a form
// whose submit runs the save, and the core's refusal shown inside so it can be fixed in place.
import { cloneElement, useEffect, useId, useRef, useState, type ReactElement, type ReactNode } from 'react';

export interface EditorDialogProps {
  title: string;
  submitLabel: string;
  /** Returns null when saved (the dialog closes) or the problem to show. */
  onSubmit(): Promise<string | null>;
  onClose(): void;
  children: ReactNode;
  /** Buttons beside Save (e.g. "Test connection"). */
  extra?: ReactNode;
  /** A message shown under the fields (a test result). */
  note?: ReactNode;
}

export function EditorDialog({ title, submitLabel, onSubmit, onClose, children, extra, note }: EditorDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="modal metrics-editor" aria-labelledby={titleId} onClose={onClose}>
      <form
        className="modal__body"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (busy) return;
          setBusy(true);
          void onSubmit().then((failed) => {
            setBusy(false);
            setProblem(failed);
            if (!failed) dialog.current?.close();
          });
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {note}
        {problem && (
          <p className="field__error" role="alert">
            {problem}
          </p>
        )}
        <div className="modal__actions">
          {extra}
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A labelled input or select inside an editor; the hint describes the field without joining its name. */
export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: ReactElement<{ id?: string; 'aria-describedby'?: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, ...(hint ? { 'aria-describedby': `${id}-hint` } : {}) })}
      {hint && (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}
