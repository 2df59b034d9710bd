// First run: who is at this device. The name and role become the actor of every event this
// device records, so they are asked once, before anything else.
import { useId, useRef, useState, type FormEvent } from 'react';
import { profileInput, ROLE_LABELS, ROLES, type Role } from '../../shared/domain/people.ts';
import { BrandMark, WarningIcon } from '../components/icons.tsx';
import { InlineCode } from '../components/InlineCode.tsx';
import { useApp } from '../state/context.tsx';
import type { Problem } from '../state/session.ts';
import './first-run.css';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  coordinator: 'Plans the release window, runs the go/no-go, drives the runbook.',
  engineer: 'Runs runbook steps, often offline; records evidence; rolls back.',
  approver: 'Signs off go/no-go criteria — never for a change you deploy.',
  lead: 'Writes the blameless post-mortem and the audit evidence pack.',
  observer: 'Follows along read-only, for example on the wall display.',
};

type FieldErrors = Partial<Record<'name' | 'role', string>>;

/** Splits a failure into messages shown next to their field and one shown for the form. */
function placeProblem(problem: Problem): { fields: FieldErrors; general: string | null } {
  const field = problem.field?.split('.')[0];
  if (field === 'name' || field === 'role') return { fields: { [field]: problem.message }, general: null };
  if (problem.code === 'forbidden') {
    // A wall display opened with a read-only link: say what to do rather than which method failed.
    return {
      fields: {},
      general:
        'This connection is read-only, so it cannot set who is at this device. Set up the profile on the device running the War Room (or open the link that carries its write token), then reload this page.',
    };
  }
  return { fields: {}, general: problem.message };
}

export function FirstRun() {
  const saveProfile = useApp((s) => s.saveProfile);
  const navigate = useApp((s) => s.navigate);
  const section = useApp((s) => s.section);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const roleGroup = useRef<HTMLFieldSetElement>(null);
  const ids = { name: useId(), nameHint: useId(), nameError: useId(), roleError: useId(), general: useId() };

  const focusFirstInvalid = (fields: FieldErrors) => {
    if (fields.name) nameInput.current?.focus();
    else if (fields.role) roleGroup.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const input = { name, role: role ?? undefined };
    // The same schema the core applies, so every field's problem shows at once; the core's
    // answer stays authoritative and its errors land in the same places.
    const checked = profileInput.safeParse(input);
    if (!checked.success) {
      const fields: FieldErrors = {};
      for (const issue of checked.error.issues) {
        const key = issue.path[0];
        if ((key === 'name' || key === 'role') && !fields[key]) fields[key] = issue.message;
      }
      // Here the only possible role problem is that none is picked; the schema's message lists
      // internal ids, while the person sees the labels above.
      if (fields.role) fields.role = 'Choose the role you play in releases.';
      setErrors(fields);
      setGeneral(null);
      focusFirstInvalid(fields);
      return;
    }
    setSaving(true);
    setErrors({});
    setGeneral(null);
    const result = await saveProfile(checked.data);
    // On success the store now holds the profile and the app swaps this screen for the shell;
    // focus goes to the section's heading so keyboard users start in the content.
    if (result.ok) {
      navigate(section, { focusHeading: true });
      return;
    }
    setSaving(false);
    const placed = placeProblem(result.problem);
    setErrors(placed.fields);
    setGeneral(placed.general);
    focusFirstInvalid(placed.fields);
  };

  return (
    <main className="first-run" id="main">
      <div className="first-run__panel">
        <div className="first-run__brand">
          <BrandMark size={28} />
          <span>Release War Room</span>
        </div>
        <h1>Who is at this device?</h1>
        <p className="first-run__intro">
          Everything done here — a completed runbook step, a sign-off, a go/no-go decision — is recorded in a signed log
          under your name and role. You set this once for this device.
        </p>

        <form className="first-run__form" noValidate onSubmit={(e) => void onSubmit(e)} aria-describedby={general ? ids.general : undefined}>
          <div className="field">
            <label className="field__label" htmlFor={ids.name}>
              Your name
            </label>
            <p className="field__hint" id={ids.nameHint}>
              As your colleagues know you; it appears on the timeline and on sign-offs.
            </p>
            <input
              ref={nameInput}
              id={ids.name}
              className="field__input"
              type="text"
              autoComplete="name"
              autoFocus
              spellCheck={false}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? `${ids.nameError} ${ids.nameHint}` : ids.nameHint}
            />
            {errors.name && (
              <p className="field__error" id={ids.nameError} data-field="name">
                <WarningIcon size={18} />
                {errors.name}
              </p>
            )}
          </div>

          <fieldset
            ref={roleGroup}
            className="field role-picker"
            role="radiogroup"
            aria-required="true"
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={errors.role ? ids.roleError : undefined}
          >
            <legend className="field__label">Your role in releases</legend>
            <div className="role-picker__options">
              {ROLES.map((r) => {
                const inputId = `${ids.name}-role-${r}`;
                const descId = `${inputId}-desc`;
                return (
                  <div key={r} className="role-option" data-checked={role === r ? 'true' : undefined}>
                    <input
                      id={inputId}
                      type="radio"
                      name="role"
                      value={r}
                      checked={role === r}
                      onChange={() => setRole(r)}
                      aria-describedby={descId}
                    />
                    {/* The label alone is the radio's name; the description is read after it. */}
                    <label htmlFor={inputId} className="role-option__label">
                      {ROLE_LABELS[r]}
                    </label>
                    <span className="role-option__desc" id={descId}>
                      {ROLE_DESCRIPTIONS[r]}
                    </span>
                  </div>
                );
              })}
            </div>
            {errors.role && (
              <p className="field__error" id={ids.roleError} data-field="role">
                <WarningIcon size={18} />
                {errors.role}
              </p>
            )}
          </fieldset>

          {general && (
            <div className="form-alert" role="alert" id={ids.general}>
              <WarningIcon />
              <p>
                <InlineCode text={general} />
              </p>
            </div>
          )}

          <div className="first-run__actions">
            <button type="submit" className="button button--primary button--large" aria-disabled={saving || undefined}>
              {saving ? 'Saving…' : 'Continue'}
            </button>
            <p className="first-run__footnote">Kept on this device; nothing leaves it until you set up sync.</p>
          </div>
        </form>
      </div>
    </main>
  );
}
