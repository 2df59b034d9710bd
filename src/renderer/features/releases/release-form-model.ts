// The release form's state as text fields, and the conversions to and from the API: a window is
// typed as wall-clock times in the release's zone, services as a comma-separated list.
import type { InputOf } from '../../../shared/api/contract.ts';
import type { ReleaseDetail } from '../../../shared/api/releases.ts';
import { zoneOffsetMinutes, type ReleaseField } from '../../../shared/domain/releases.ts';
import { VIEWER_ZONE } from '../../format/time.ts';

export interface ReleaseFormValues {
  name: string;
  version: string;
  type: string;
  changeClass: string;
  ticket: string;
  services: string;
  environment: string;
  strategy: string;
  windowStart: string;
  windowEnd: string;
  zone: string;
  owner: string;
  scope: string;
}

export type FormField = keyof ReleaseFormValues;
export type FieldErrors = Partial<Record<FormField, string>>;

export const EMPTY_FORM: ReleaseFormValues = {
  name: '',
  version: '',
  type: 'minor',
  changeClass: '',
  ticket: '',
  services: '',
  environment: '',
  strategy: '',
  windowStart: '',
  windowEnd: '',
  zone: VIEWER_ZONE,
  owner: '',
  scope: '',
};

/** `2026-11-24T21:00:00.000Z` in Europe/Berlin → `2026-11-24T22:00` (what datetime-local shows). */
export function wallClockIn(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  try {
    return new Date(ms + zoneOffsetMinutes(ms, zone) * 60_000).toISOString().slice(0, 16);
  } catch {
    return iso.slice(0, 16);
  }
}

export function formFromRelease(r: ReleaseDetail, ownerName: string | null): ReleaseFormValues {
  return {
    name: r.name,
    version: r.version,
    type: r.type,
    changeClass: r.changeClass,
    ticket: r.ticket ?? '',
    services: r.services.join(', '),
    environment: r.environment ?? '',
    strategy: r.strategy ?? '',
    windowStart: r.window ? wallClockIn(r.window.start, r.window.zone) : '',
    windowEnd: r.window ? wallClockIn(r.window.end, r.window.zone) : '',
    zone: r.window?.zone ?? VIEWER_ZONE,
    owner: ownerName ?? r.owner ?? '',
    scope: r.scope,
  };
}

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The create input: empty optional fields are left out, not sent as empty strings. */
export function createInput(v: ReleaseFormValues): InputOf<'release.create'> {
  const input: Record<string, unknown> = { name: v.name, version: v.version };
  if (v.type) input.type = v.type;
  if (v.changeClass) input.changeClass = v.changeClass;
  if (v.ticket.trim()) input.ticket = v.ticket;
  if (splitList(v.services).length > 0) input.services = splitList(v.services);
  if (v.environment.trim()) input.environment = v.environment;
  if (v.strategy) input.strategy = v.strategy;
  if (v.windowStart || v.windowEnd) input.window = { start: v.windowStart, end: v.windowEnd, zone: v.zone };
  if (v.owner.trim()) input.owner = v.owner;
  if (v.scope.trim()) input.scope = v.scope;
  return input as InputOf<'release.create'>;
}

/** Only the fields that changed; an emptied optional field is cleared (null). */
export function changesFrom(before: ReleaseFormValues, after: ReleaseFormValues): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  const text = (key: FormField, field: string, optional: boolean) => {
    if (after[key] === before[key]) return;
    set[field] = optional && !after[key].trim() ? null : after[key];
  };
  text('name', 'name', false);
  text('version', 'version', false);
  text('type', 'type', false);
  text('changeClass', 'changeClass', false);
  text('ticket', 'ticket', true);
  text('environment', 'environment', true);
  text('strategy', 'strategy', true);
  text('owner', 'owner', true);
  text('scope', 'scope', true);
  if (after.services !== before.services) set.services = splitList(after.services);
  if (after.windowStart !== before.windowStart || after.windowEnd !== before.windowEnd || after.zone !== before.zone) {
    set.window = after.windowStart || after.windowEnd ? { start: after.windowStart, end: after.windowEnd, zone: after.zone } : null;
  }
  return set;
}

/** An API field path (`window.start`, `services.2`) → the form field that shows it. */
export function formFieldOf(path: string | undefined): FormField | null {
  if (!path) return null;
  const parts = path.split('.');
  // release.update nests the changes under `set`.
  if (parts[0] === 'set') parts.shift();
  const [head, sub] = parts;
  if (head === 'window') return sub === 'end' ? 'windowEnd' : sub === 'zone' ? 'zone' : 'windowStart';
  const known: FormField[] = ['name', 'version', 'type', 'changeClass', 'ticket', 'services', 'environment', 'strategy', 'owner', 'scope'];
  return known.includes(head as FormField) ? (head as FormField) : null;
}

/** The editor saw these values: each changed field supersedes exactly them (pred). */
export function predFor(detail: ReleaseDetail, set: Record<string, unknown>): Partial<Record<ReleaseField, string[]>> {
  const pred: Partial<Record<ReleaseField, string[]>> = {};
  for (const field of Object.keys(set) as ReleaseField[]) {
    const ids = detail.fields[field]?.values.map((v) => v.id) ?? [];
    if (ids.length > 0) pred[field] = ids;
  }
  return pred;
}
