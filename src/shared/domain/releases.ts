// Releases: the facts a release carries, its window in an IANA zone, and the lifecycle rules
// (which status may follow which, and why not). Pure: the core, the renderer and the CLI share it.
import { z } from 'zod';
import type { EntityState } from '../events/fold.ts';
import { parseHlc } from '../events/hlc.ts';
import { fieldView, type FieldView } from '../events/views.ts';

export const RELEASE_TYPES = ['major', 'minor', 'patch', 'emergency'] as const;
export const CHANGE_CLASSES = ['standard', 'normal', 'emergency'] as const;
export const STRATEGIES = ['big-bang', 'phased', 'blue-green', 'canary', 'rolling'] as const;
export const RELEASE_STATUSES = ['planned', 'scheduled', 'go_no_go', 'deploying', 'stabilizing', 'closed', 'rolled_back', 'cancelled'] as const;

export type ReleaseType = (typeof RELEASE_TYPES)[number];
export type ChangeClass = (typeof CHANGE_CLASSES)[number];
export type Strategy = (typeof STRATEGIES)[number];
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const STATUS_LABELS: Record<ReleaseStatus, string> = {
  planned: 'planned',
  scheduled: 'scheduled',
  go_no_go: 'go/no-go',
  deploying: 'deploying',
  stabilizing: 'stabilizing',
  closed: 'closed',
  rolled_back: 'rolled back',
  cancelled: 'cancelled',
};

export const TERMINAL_STATUSES: readonly ReleaseStatus[] = ['closed', 'rolled_back', 'cancelled'];

/** The lifecycle graph; guards below may still refuse an edge for a particular release. */
export const TRANSITIONS: Record<ReleaseStatus, readonly ReleaseStatus[]> = {
  planned: ['scheduled', 'go_no_go', 'cancelled'],
  scheduled: ['go_no_go', 'planned', 'cancelled'],
  go_no_go: ['deploying', 'scheduled', 'cancelled'],
  deploying: ['stabilizing', 'rolled_back'],
  stabilizing: ['closed', 'rolled_back'],
  closed: [],
  rolled_back: [],
  cancelled: [],
};

/** Endings that must say why. */
export const REASON_REQUIRED: readonly ReleaseStatus[] = ['rolled_back', 'cancelled'];

// ---- fields -------------------------------------------------------------------------------

const oneLine = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} has at most ${max} characters.`)
    .refine((s) => !/[\r\n]/.test(s), `${what[0]!.toUpperCase()}${what.slice(1)} must fit on one line.`);

export const releaseName = oneLine(200, 'a name');
export const releaseVersion = oneLine(60, 'a version');
export const ticketRef = oneLine(100, 'a ticket reference');
export const environmentName = oneLine(60, 'an environment');
export const ownerRef = oneLine(100, 'an owner');
export const scopeText = z.string().max(20_000, 'The scope has at most 20 000 characters.');
export const serviceList = z
  .array(oneLine(80, 'a service name').refine((s) => !s.includes(','), 'A service name may not contain a comma.'))
  .max(50, 'At most 50 services.')
  .transform((list) => [...new Set(list)]);

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneName = z.string().trim().refine(isTimeZone, 'Not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).');

/** A planned window: UTC instants plus the zone people plan it in. */
export const releaseWindow = z
  .strictObject({
    start: z.string().regex(UTC_ISO, 'Expected a UTC time such as 2026-11-24T21:00:00Z.'),
    end: z.string().regex(UTC_ISO, 'Expected a UTC time such as 2026-11-24T23:00:00Z.'),
    zone: timeZoneName,
  })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'The window must end after it starts.', path: ['end'] })
  .refine((w) => Date.parse(w.end) - Date.parse(w.start) <= 31 * 86_400_000, { message: 'A window lasts at most 31 days.', path: ['end'] });

export type ReleaseWindow = z.output<typeof releaseWindow>;

/** Offset of `zone` from UTC at instant `ms`, in minutes (Berlin in winter: +60). */
export function zoneOffsetMinutes(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * A time as people type it: with an offset or Z it is that instant; without one it is wall-clock
 * time in `zone` (`2026-11-24T22:00` in Europe/Berlin is 21:00Z). Returns UTC ISO, or null.
 */
export function toUtcIso(text: string, zone: string): string | null {
  const value = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || (s ?? 0) > 59) return null;
  if (m[7]) {
    const ms = Date.parse(value.replace(' ', 'T').toUpperCase());
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  if (!isTimeZone(zone)) return null;
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s || 0);
  // Two passes settle the offset across a DST change.
  let ms = wall - zoneOffsetMinutes(wall, zone) * 60_000;
  ms = wall - zoneOffsetMinutes(ms, zone) * 60_000;
  return new Date(ms).toISOString();
}

/** `2026-11-24 22:00 GMT+1` in the given zone (for the viewer's zone and the release's). */
export function formatInZone(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || !isTimeZone(zone)) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** The window for a viewer: in their zone, with the release's own zone beside it when different. */
export function describeWindow(window: ReleaseWindow, viewerZone: string): string {
  const here = `${formatInZone(window.start, viewerZone)} – ${formatInZone(window.end, viewerZone)}`;
  if (viewerZone === window.zone) return `${here} (${window.zone})`;
  return `${here} (release zone ${window.zone}: ${formatInZone(window.start, window.zone)} – ${formatInZone(window.end, window.zone)})`;
}

// ---- the release as folded ------------------------------------------------------------------

/** Editable fields and the register each lives in (the name is `title`, from the first release model). */
export const RELEASE_FIELD_REGISTERS = {
  name: 'title',
  version: 'version',
  type: 'type',
  changeClass: 'changeClass',
  ticket: 'ticket',
  services: 'services',
  environment: 'environment',
  strategy: 'strategy',
  window: 'window',
  owner: 'owner',
  scope: 'scope',
} as const;

export type ReleaseField = keyof typeof RELEASE_FIELD_REGISTERS;
export const RELEASE_FIELDS = Object.keys(RELEASE_FIELD_REGISTERS) as ReleaseField[];

export interface ReleaseFacts {
  id: string;
  name: string;
  version: string;
  type: ReleaseType;
  changeClass: ChangeClass;
  ticket: string | null;
  services: string[];
  environment: string | null;
  strategy: Strategy | null;
  window: ReleaseWindow | null;
  /** A person id (from people.list) or free text. */
  owner: string | null;
  scope: string;
  status: ReleaseStatus;
  archived: boolean;
  createdAt: string | null;
  /** Time of the newest event folded into the release. */
  updatedAt: string | null;
  /** Fields (and `status`) with concurrent values waiting for someone to pick one. */
  conflicts: string[];
}

export function releaseFacts(id: string, state: EntityState): ReleaseFacts {
  const value = <T>(register: string): T | null => fieldView<T>(state.registers[register]).value;
  const type = (value<ReleaseType>('type') ?? 'minor') as ReleaseType;
  const conflicts = [...RELEASE_FIELDS, 'status' as const]
    .filter((f) => fieldView(state.registers[f === 'status' ? 'status' : RELEASE_FIELD_REGISTERS[f]]).conflict)
    .map(String);
  const last = state.last ? parseHlc(state.last.hlc) : null;
  return {
    id,
    name: value<string>('title') ?? '(untitled release)',
    version: value<string>('version') ?? '',
    type,
    changeClass: value<ChangeClass>('changeClass') ?? (type === 'emergency' ? 'emergency' : 'normal'),
    ticket: value<string>('ticket'),
    services: value<string[]>('services') ?? [],
    environment: value<string>('environment'),
    strategy: value<Strategy>('strategy'),
    window: value<ReleaseWindow>('window'),
    owner: value<string>('owner'),
    scope: value<string>('scope') ?? '',
    status: value<ReleaseStatus>('status') ?? 'planned',
    archived: 'archived' in state.flags,
    createdAt: state.flags.created?.at ?? null,
    updatedAt: last ? new Date(last.wall).toISOString() : null,
    conflicts,
  };
}

/** Each editable field's register as the UI edits it: current values with ids (for `pred`) and conflicts. */
export function releaseFieldViews(state: EntityState): Record<ReleaseField | 'status', FieldView> {
  const out = {} as Record<ReleaseField | 'status', FieldView>;
  for (const field of RELEASE_FIELDS) out[field] = fieldView(state.registers[RELEASE_FIELD_REGISTERS[field]]);
  out.status = fieldView(state.registers.status);
  return out;
}

// ---- lifecycle --------------------------------------------------------------------------------

export interface TransitionOption {
  to: ReleaseStatus;
  label: string;
  allowed: boolean;
  /** Why not, when a guard refuses an edge of the graph. */
  blockedBy: string | null;
  reasonRequired: boolean;
}

export interface LifecycleContext {
  /** The go/no-go decision as folded (`none` until the go/no-go feature records one). */
  decision?: 'none' | 'go' | 'no_go' | 'go_with_conditions' | 'decision_conflict';
}

function isEmergency(release: Pick<ReleaseFacts, 'type' | 'changeClass'>): boolean {
  return release.type === 'emergency' || release.changeClass === 'emergency';
}

/** The edges out of the release's status, each with the guard that may refuse it. */
export function transitionOptions(release: ReleaseFacts, context: LifecycleContext = {}): TransitionOption[] {
  return TRANSITIONS[release.status].map((to) => {
    let blockedBy: string | null = null;
    if (release.archived) blockedBy = 'the release is archived';
    else if (to === 'scheduled' && !release.window) blockedBy = 'set a planned window first';
    else if (release.status === 'planned' && to === 'go_no_go' && !isEmergency(release)) blockedBy = 'only an emergency change may skip scheduling';
    else if (to === 'deploying' && context.decision === 'no_go') blockedBy = 'the go/no-go decision was no-go';
    else if (to === 'deploying' && context.decision === 'decision_conflict') blockedBy = 'the go/no-go decision is in conflict';
    return { to, label: STATUS_LABELS[to], allowed: blockedBy === null, blockedBy, reasonRequired: REASON_REQUIRED.includes(to) };
  });
}

export function allowedTransitions(release: ReleaseFacts, context: LifecycleContext = {}): ReleaseStatus[] {
  return transitionOptions(release, context)
    .filter((o) => o.allowed)
    .map((o) => o.to);
}

/** Null when `to` may follow now; otherwise a sentence naming what is allowed instead. */
export function transitionProblem(release: ReleaseFacts, to: ReleaseStatus, reason: string | undefined, context: LifecycleContext = {}): string | null {
  const options = transitionOptions(release, context);
  const allowed = options.filter((o) => o.allowed).map((o) => STATUS_LABELS[o.to]);
  const now = allowed.length > 0 ? `Allowed now: ${allowed.join(', ')}.` : `No transitions are allowed from ${STATUS_LABELS[release.status]}.`;
  if (to === release.status) return `The release is already ${STATUS_LABELS[to]}. ${now}`;
  const option = options.find((o) => o.to === to);
  if (!option) return `A release cannot go from ${STATUS_LABELS[release.status]} to ${STATUS_LABELS[to]}. ${now}`;
  if (!option.allowed) return `Cannot move to ${STATUS_LABELS[to]}: ${option.blockedBy}. ${now}`;
  if (option.reasonRequired && !reason?.trim()) return `Moving to ${STATUS_LABELS[to]} needs a reason.`;
  return null;
}

/** Whether steps may still change state (notes and evidence are always allowed). */
export function isTerminal(status: ReleaseStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Sort key for a release list by window: releases without a window come last. */
export function compareByWindow(a: Pick<ReleaseFacts, 'window' | 'createdAt' | 'id'>, b: Pick<ReleaseFacts, 'window' | 'createdAt' | 'id'>): number {
  const wa = a.window ? Date.parse(a.window.start) : Infinity;
  const wb = b.window ? Date.parse(b.window.start) : Infinity;
  if (wa !== wb) return wa < wb ? -1 : 1;
  const ca = a.createdAt ?? '';
  const cb = b.createdAt ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
