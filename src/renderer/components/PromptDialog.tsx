// A small modal that asks for one piece of text — a reason, a note, an assignee — and hands it
// to an async action. The core's refusal is shown inside the dialog, which stays open, so a
// person at the keyboard can fix it and press Enter again. Native <dialog>: focus is trapped,
// the page behind is inert and Esc cancels.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { Problem } from '../state/session.ts';
import { InlineCode } from './InlineCode.tsx';

export interface PromptRequest {
  title: string;
  /** A sentence under the title: what the text is for. */
  description?: ReactNode;
  label: string;
  submitLabel: string;
  /** Empty text is refused with this message; omit for optional text. */
  requiredMessage?: string;
  initial?: string;
  /** A textarea (Enter sends, Shift+Enter starts a new line) instead of one line. */
  multiline?: boolean;
  /** Suggestions for a one-line field (people, roles). */
  suggestions?: string[];
  danger?: boolean;
  /** Returns null when done (the dialog closes), or the problem to show. */
  onSubmit(text: string): Promise<Problem | null>;
}

export function PromptDialog({ request, onClose }: { request: PromptRequest | null; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<PromptRequest | null>(null);
  const ids = { field: useId(), error: useId(), list: useId(), description: useId() };

  // A new request starts from its own initial text, never the last one's leftovers.
  if (request !== shown) {
    setShown(request);
    setText(request?.initial ?? '');
    setProblem(null);
    setBusy(false);
  }

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (request && !el.open) el.showModal();
    if (!request && el.open) el.close();
  }, [request]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!request || busy) return;
    const value = text.trim();
    if (!value && request.requiredMessage) {
      setProblem(request.requiredMessage);
      return;
    }
    setBusy(true);
    const failed = await request.onSubmit(value);
    setBusy(false);
    if (failed) setProblem(failed.message);
    else onClose();
  };

  const onTextKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  const field = {
    id: ids.field,
    value: text,
    autoFocus: true,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': [request?.description ? ids.description : '', problem ? ids.error : ''].filter(Boolean).join(' ') || undefined,
  } as const;

  return (
    <dialog ref={dialog} className="modal" aria-labelledby={`${ids.field}-title`} onClose={onClose} data-testid="prompt-dialog">
      {shown && (
        <form className="modal__body" onSubmit={(e) => void submit(e)} noValidate>
          <h2 id={`${ids.field}-title`}>{shown.title}</h2>
          {shown.description && (
            <div id={ids.description} className="field__hint">
              {shown.description}
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.field}>{shown.label}</label>
            {shown.multiline ? (
              <textarea {...field} className="textarea" rows={4} onChange={(e) => setText(e.target.value)} onKeyDown={onTextKey} />
            ) : (
              <input
                {...field}
                className="input"
                type="text"
                autoComplete="off"
                list={shown.suggestions ? ids.list : undefined}
                onChange={(e) => setText(e.target.value)}
              />
            )}
            {shown.suggestions && (
              <datalist id={ids.list}>
                {shown.suggestions.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            )}
            {shown.multiline && <span className="field__hint">Enter saves; Shift+Enter starts a new line.</span>}
            {problem && (
              <span id={ids.error} className="field__error" role="alert">
                <InlineCode text={problem} />
              </span>
            )}
          </div>
          <div className="modal__actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel <kbd>Esc</kbd>
            </button>
            <button type="submit" className={`button ${shown.danger ? 'button--danger-solid' : 'button--primary'}`} aria-disabled={busy || undefined}>
              {shown.submitLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
