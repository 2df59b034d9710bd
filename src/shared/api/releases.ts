// API group: releases — plan, edit field by field, move through the lifecycle, list and read —
// and the people a release can name as its owner.
import { z } from 'zod';
import { method } from './define.ts';
import {
  CHANGE_CLASSES,
  RELEASE_FIELDS,
  RELEASE_STATUSES,
  RELEASE_TYPES,
  STRATEGIES,
  environmentName,
  ownerRef,
  releaseName,
  releaseVersion,
  releaseWindow,
  scopeText,
  serviceList,
  ticketRef,
  timeZoneName,
  toUtcIso,
  type ReleaseFacts,
  type ReleaseField,
  type ReleaseStatus,
  type TransitionOption,
} from '../domain/releases.ts';
import type { RollbackView, RunOrigin, RunProgress, RunState, ByWhom } from '../domain/runbooks.ts';
import type { Actor } from '../events/envelope.ts';
import type { DecisionState, FieldView } from '../events/views.ts';

const releaseId = z.string().trim().min(1, 'Name a release.').max(200);
const eventIds = z.array(z.string().regex(/^[A-Za-z0-9_]{1,64}:\d{1,16}$/, 'Expected an event id (device:seq).')).max(64);

/**
 * A window as people type it: start and end with an offset (`…Z`, `…+01:00`) are instants;
 * without one they are wall-clock times in `zone`. Stored as UTC instants plus the zone.
 */
export const windowInput = z
  .strictObject({ start: z.string().trim().min(1).max(40), end: z.string().trim().min(1).max(40), zone: timeZoneName })
  .superRefine((w, ctx) => {
    for (const key of ['start', 'end'] as const) {
      if (toUtcIso(w[key], w.zone) === null) {
        ctx.addIssue({ code: 'custom', path: [key], message: `Not a date and time: "${w[key]}" (write e.g. 2026-11-24T22:00 or 2026-11-24T21:00:00Z).` });
      }
    }
  })
  .transform((w) => ({ start: toUtcIso(w.start, w.zone)!, end: toUtcIso(w.end, w.zone)!, zone: w.zone }))
  .pipe(releaseWindow);

const releaseInputFields = {
  name: releaseName,
  version: releaseVersion,
  type: z.enum(RELEASE_TYPES, { error: `Choose a type: ${RELEASE_TYPES.join(', ')}.` }).optional(),
  changeClass: z.enum(CHANGE_CLASSES, { error: `Choose a change class: ${CHANGE_CLASSES.join(', ')}.` }).optional(),
  ticket: ticketRef.optional(),
  services: serviceList.optional(),
  environment: environmentName.optional(),
  strategy: z.enum(STRATEGIES, { error: `Choose a strategy: ${STRATEGIES.join(', ')}.` }).optional(),
  window: windowInput.optional(),
  owner: ownerRef.optional(),
  scope: scopeText.optional(),
};

export const releaseCreateInput = z.strictObject(releaseInputFields);

/** Per field: a value, or null to clear an optional one. */
export const releaseChanges = z
  .strictObject({
    name: releaseName.optional(),
    version: releaseVersion.optional(),
    type: z.enum(RELEASE_TYPES).optional(),
    changeClass: z.enum(CHANGE_CLASSES).optional(),
    ticket: ticketRef.nullable().optional(),
    services: serviceList.optional(),
    environment: environmentName.nullable().optional(),
    strategy: z.enum(STRATEGIES).nullable().optional(),
    window: windowInput.nullable().optional(),
    owner: ownerRef.nullable().optional(),
    scope: scopeText.nullable().optional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'Change at least one field.');

export interface ReleaseSummary extends ReleaseFacts {
  statusLabel: string;
  /** The owner's display name when `owner` is a known person id, else the owner text. */
  ownerName: string | null;
}

export interface RunSummary {
  id: string;
  title: string;
  origin: RunOrigin;
  attached: ByWhom | null;
  state: RunState;
  steps: number;
  progress: RunProgress;
  rollback: Pick<RollbackView, 'target' | 'started' | 'finishedAt' | 'elapsed' | 'missed' | 'recorded'> & { available: boolean };
  focus: number | null;
}

export interface ReleaseDetail extends ReleaseSummary {
  createdBy: Actor | null;
  /** Each editable field's register: current values with their event ids (pass as `pred`) and conflicts. */
  fields: Record<ReleaseField | 'status', FieldView>;
  /** Every edge out of the current status, with the guard that refuses it (if any). */
  transitions: TransitionOption[];
  allowed: ReleaseStatus[];
  decision: DecisionState;
  runs: RunSummary[];
  computedAt: string;
}

export interface PersonSummary {
  id: string;
  name: string;
  role: string;
  updatedAt: string;
}

export const releasesApi = {
  'release.create': method<ReleaseDetail>()({
    input: releaseCreateInput,
    access: 'write',
    summary: 'Plan a release: name, version, type, change class, ticket, services, environment, strategy, window (IANA zone), owner, scope.',
  }),
  'release.update': method<ReleaseDetail>()({
    input: z.strictObject({
      id: releaseId,
      set: releaseChanges,
      /** Per field, the event ids of the values the editor saw (default: what this device shows now). */
      pred: z.partialRecord(z.enum(RELEASE_FIELDS as [ReleaseField, ...ReleaseField[]]), eventIds).optional(),
    }),
    access: 'write',
    summary: 'Edit release fields; one event per changed field, superseding the values the editor saw.',
  }),
  'release.transition': method<ReleaseDetail>()({
    input: z.strictObject({ id: releaseId, to: z.enum(RELEASE_STATUSES), reason: z.string().trim().min(1).max(2000).optional() }),
    access: 'write',
    summary: 'Move a release along its lifecycle; an illegal move is refused with the moves allowed now.',
  }),
  'release.note': method<ReleaseDetail>()({
    input: z.strictObject({ id: releaseId, text: z.string().trim().min(1, 'Write the note.').max(4000) }),
    access: 'write',
    summary: 'Add a note to the release timeline.',
  }),
  'release.list': method<ReleaseSummary[]>()({
    input: z.strictObject({
      status: z.union([z.enum(RELEASE_STATUSES), z.array(z.enum(RELEASE_STATUSES)).max(8)]).optional(),
      type: z.union([z.enum(RELEASE_TYPES), z.array(z.enum(RELEASE_TYPES)).max(4)]).optional(),
      text: z.string().trim().max(200).optional(),
      sort: z.enum(['window', '-window', 'created', '-created']).default('window'),
      includeArchived: z.boolean().default(false),
    }),
    access: 'read',
    summary: 'Releases filtered by status, type or text, sorted by window (no window last) or creation.',
  }),
  'release.get': method<ReleaseDetail>()({
    input: z.strictObject({ id: releaseId }),
    access: 'read',
    summary: 'A release: facts, field registers with conflicts, allowed transitions and its runbooks with progress.',
  }),
  'people.list': method<PersonSummary[]>()({
    input: z.strictObject({}),
    access: 'read',
    summary: 'Everyone known to this device’s log (for owner and assignee pickers).',
  }),
};
