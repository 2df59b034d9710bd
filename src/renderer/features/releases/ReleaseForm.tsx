// Plan a release, or edit one: every field, the window in an IANA zone, and each problem shown at
// its field — first from the same schema the core applies, then from the core's own answer.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { releaseChanges, releaseCreateInput } from '../../../shared/api/releases.ts';
import { CHANGE_CLASSES, RELEASE_TYPES, STRATEGIES } from '../../../shared/domain/releases.ts';
import { InlineCode } from '../../components/InlineCode.tsx';
import { SectionPage } from '../../components/SectionPage.tsx';
import { VIEWER_ZONE } from '../../format/time.ts';
import { useApp } from '../../state/context.tsx';
import type { Problem } from '../../state/session.ts';
import {
  EMPTY_FORM,
  changesFrom,
  createInput,
  formFieldOf,
  formFromRelease,
  predFor,
  type FieldErrors,
  type FormField,
  type ReleaseFormValues,
} from './release-form-model.ts';
import { CLASS_LABELS, STRATEGY_LABELS, TYPE_LABELS } from './release-text.ts';
import { releasesView } from './routes.ts';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

function errorsFrom(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = formFieldOf(issue.path.map(String).join('.'));
    if (field && !errors[field]) errors[field] = issue.message;
  }
  // An unknown zone makes every time in the window unreadable; say what is actually wrong.
  if (errors.zone) {
    delete errors.windowStart;
    delete errors.windowEnd;
  }
  return errors;
}

export function ReleaseForm({ id }: { id?: string }) {
  const detail = useApp((s) => (id ? s.releases.details[id] : undefined));
  const people = useApp((s) => s.releases.people);
  const loadPeople = useApp((s) => s.loadPeople);
  const loadRelease = useApp((s) => s.loadRelease);
  const createRelease = useApp((s) => s.createRelease);
  const updateRelease = useApp((s) => s.updateRelease);
  const navigate = useApp((s) => s.navigate);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    void loadPeople();
    if (id) void loadRelease(id);
  }, [id, loadPeople, loadRelease]);

  // The values the form opened with: edits are measured against them, and they name the
  // versions this editor supersedes.
  const ownerName = detail?.ownerName ?? null;
  const initial = useMemo(() => (detail ? formFromRelease(detail, ownerName) : EMPTY_FORM), [detail, ownerName]);
  const [opened, setOpened] = useState<{ base: ReleaseFormValues; detail: typeof detail } | null>(null);
  if (opened === null && (!id || detail)) setOpened({ base: initial, detail });
  const [values, setValues] = useState<ReleaseFormValues | null>(null);
  const current = values ?? opened?.base ?? initial;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = (field: FormField, value: string) => {
    setValues({ ...current, [field]: value });
    // The window's times are read in its zone, so a new zone answers their problems too.
    const cleared: FormField[] = field === 'zone' ? ['zone', 'windowStart', 'windowEnd'] : [field];
    if (cleared.some((f) => errors[f])) setErrors({ ...errors, ...Object.fromEntries(cleared.map((f) => [f, undefined])) });
  };

  const back = () => navigate('releases', { view: id ? releasesView({ page: 'release', id }) : '' });

  const show = (fields: FieldErrors, message: string | null) => {
    setErrors(fields);
    setGeneral(message);
    // Focus the first field with a problem, in the order the form shows them.
    const first = Object.keys(FIELD_ORDER).find((f) => fields[f as FormField]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const placeProblem = (problem: Problem) => {
    const field = formFieldOf(problem.field);
    if (field) show({ [field]: problem.message }, null);
    else show({}, problem.message);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    if (id && opened?.detail) {
      const changes = changesFrom(opened.base, current);
      if (Object.keys(changes).length === 0) return back();
      const checked = releaseChanges.safeParse(changes);
      if (!checked.success) return show(errorsFrom(checked.error.issues), null);
      setSaving(true);
      const result = await updateRelease({ id, set: changes as never, pred: predFor(opened.detail, changes) });
      setSaving(false);
      if (!result.ok) return placeProblem(result.problem);
      return back();
    }
    const input = createInput(current);
    const checked = releaseCreateInput.safeParse(input);
    if (!checked.success) return show(errorsFrom(checked.error.issues), null);
    setSaving(true);
    const result = await createRelease(input);
    setSaving(false);
    if (!result.ok) return placeProblem(result.problem);
    navigate('releases', { view: releasesView({ page: 'release', id: result.value.id }), focusHeading: true });
  };

  if (id && !detail) return <SectionPage id="releases" title="Edit release" summary="Loading the release…" back={{ label: 'Releases', onClick: back }}>{null}</SectionPage>;

  const conflicts = detail?.conflicts ?? [];
  return (
    <SectionPage
      id="releases"
      title={id ? `Edit ${detail?.name ?? 'release'}` : 'Plan a release'}
      summary={id ? 'Each changed field is recorded as its own event; the timeline keeps the old value.' : 'Every field but the name and version can be filled in later.'}
      back={{ label: id ? (detail?.name ?? 'Release') : 'Releases', onClick: back }}
    >
      {conflicts.length > 0 && (
        <p className="notice notice--warn">
          Two devices changed {conflicts.join(', ')} at the same time; the newest value is shown. Saving this form settles it.
        </p>
      )}
      <form ref={form} className="release-form panel" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={saving}>
        {general && (
          <p className="notice notice--danger" role="alert">
            <InlineCode text={general} />
          </p>
        )}
        <fieldset className="release-form__group">
          <legend>What ships</legend>
          <Text field="name" label="Name" values={current} errors={errors} onChange={set} required autoFocus hint="e.g. Checkout service 4.2" />
          <Text field="version" label="Version" values={current} errors={errors} onChange={set} required />
          <Choice field="type" label="Type" values={current} errors={errors} onChange={set} options={RELEASE_TYPES.map((t) => [t, TYPE_LABELS[t]!])} />
          <Choice
            field="changeClass"
            label="Change class"
            values={current}
            errors={errors}
            onChange={set}
            options={[['', 'From the type (emergency or normal)'], ...CHANGE_CLASSES.map((c) => [c, CLASS_LABELS[c]!] as [string, string])]}
          />
          <Text field="ticket" label="Change ticket" values={current} errors={errors} onChange={set} hint="e.g. CHG-20417" />
        </fieldset>
        <fieldset className="release-form__group">
          <legend>Where and how</legend>
          <Text field="services" label="Services" values={current} errors={errors} onChange={set} hint="Comma-separated, e.g. checkout-api, payments" />
          <Text field="environment" label="Environment" values={current} errors={errors} onChange={set} hint="e.g. production" />
          <Choice
            field="strategy"
            label="Deployment strategy"
            values={current}
            errors={errors}
            onChange={set}
            options={[['', 'Not decided yet'], ...STRATEGIES.map((s) => [s, STRATEGY_LABELS[s]!] as [string, string])]}
          />
        </fieldset>
        <fieldset className="release-form__group">
          <legend>Planned window</legend>
          <Text field="windowStart" label="Starts" type="datetime-local" values={current} errors={errors} onChange={set} hint="Wall-clock time in the zone below" />
          <Text field="windowEnd" label="Ends" type="datetime-local" values={current} errors={errors} onChange={set} />
          <Text
            field="zone"
            label="Time zone (IANA)"
            values={current}
            errors={errors}
            onChange={set}
            list={ZONES}
            hint={`Where the window is planned, e.g. Europe/Berlin. Yours is ${VIEWER_ZONE}.`}
          />
        </fieldset>
        <fieldset className="release-form__group">
          <legend>Owner and scope</legend>
          <Text field="owner" label="Owner" values={current} errors={errors} onChange={set} list={people.map((p) => p.name)} hint="A person known to this device, or any name" />
          <Text field="scope" label="Scope" multiline values={current} errors={errors} onChange={set} hint="What changes, what does not, known risks (Markdown)" />
        </fieldset>
        <div className="release-form__actions">
          <button type="button" className="button" onClick={back}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" aria-disabled={saving || undefined}>
            {saving ? 'Saving…' : id ? 'Save changes' : 'Plan release'}
          </button>
        </div>
      </form>
    </SectionPage>
  );
}

const FIELD_ORDER: Record<FormField, true> = {
  name: true,
  version: true,
  type: true,
  changeClass: true,
  ticket: true,
  services: true,
  environment: true,
  strategy: true,
  windowStart: true,
  windowEnd: true,
  zone: true,
  owner: true,
  scope: true,
};

interface FieldProps {
  field: FormField;
  label: string;
  values: ReleaseFormValues;
  errors: FieldErrors;
  onChange(field: FormField, value: string): void;
  hint?: ReactNode;
}

function FieldFrame({ id, field, label, hint, error, children, required }: { id: string; field: FormField; label: string; hint?: ReactNode; error?: string | undefined; children: ReactNode; required?: boolean }) {
  return (
    <div className={`field release-form__field release-form__field--${field}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="release-form__required"> (required)</span>}
      </label>
      {children}
      {hint && (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field__error" id={`${id}-error`} data-field={field}>
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Text(props: FieldProps & { required?: boolean; autoFocus?: boolean; type?: string; multiline?: boolean; list?: readonly string[] }) {
  const { field, values, errors, onChange, hint, list, multiline } = props;
  const id = useId();
  const error = errors[field];
  const common = {
    id,
    name: field,
    value: values[field],
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
    'aria-required': props.required || undefined,
    autoFocus: props.autoFocus,
  } as const;
  return (
    <FieldFrame id={id} field={field} label={props.label} hint={hint} error={error} required={props.required}>
      {multiline ? (
        <textarea {...common} className="textarea" rows={5} onChange={(e) => onChange(field, e.target.value)} />
      ) : (
        <input
          {...common}
          className="input"
          type={props.type ?? 'text'}
          autoComplete="off"
          list={list ? `${id}-list` : undefined}
          onChange={(e) => onChange(field, e.target.value)}
        />
      )}
      {list && (
        <datalist id={`${id}-list`}>
          {list.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      )}
    </FieldFrame>
  );
}

function Choice(props: FieldProps & { options: [string, string][] }) {
  const { field, values, errors, onChange, hint, options } = props;
  const id = useId();
  const error = errors[field];
  return (
    <FieldFrame id={id} field={field} label={props.label} hint={hint} error={error}>
      <select
        id={id}
        name={field}
        className="select"
        value={values[field]}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChange(field, e.target.value)}
      >
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
