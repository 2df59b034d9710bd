// Event types of releases, runbook templates and runbook runs. A run's step states live in
// per-step registers of the run entity (`status.<n>`, `started.<n>`, `assignee.<n>`), so one
// entity holds a whole checklist and concurrent ticks on two devices show as a conflict.
import { z } from 'zod';
import {
  CHANGE_CLASSES,
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
} from '../domain/releases.ts';
import { runbookDocSchema } from '../runbook-format/model.ts';
import type { JsonValue } from './canonical.ts';
import type { Effect, EventTypeSpec } from './catalog.ts';
import type { EventData } from './envelope.ts';

function spec<S extends z.ZodType<EventData>>(entity: string, summary: string, data: S, effects: (data: z.output<S>) => Effect[]): EventTypeSpec {
  return { entity, summary, data, effects: effects as (data: EventData) => Effect[] };
}

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(200);
const reg = (name: string, value: JsonValue): Effect => ({ op: 'register', name, value });

/** Register names of a run's step `n`. */
export const stepRegister = {
  status: (n: number) => `status.${n}`,
  started: (n: number) => `started.${n}`,
  assignee: (n: number) => `assignee.${n}`,
};

export const STEP_STATES = ['pending', 'in_progress', 'done', 'skipped', 'failed', 'blocked'] as const;
export type StepState = (typeof STEP_STATES)[number];

const releaseFields = {
  version: releaseVersion.optional(),
  changeClass: z.enum(CHANGE_CLASSES).optional(),
  ticket: ticketRef.optional(),
  services: serviceList.optional(),
  environment: environmentName.optional(),
  strategy: z.enum(STRATEGIES).optional(),
  window: releaseWindow.optional(),
  owner: ownerRef.optional(),
  scope: scopeText.optional(),
};

/** One schema per editable field, so each value is checked as that field. */
const releaseUpdate = z.discriminatedUnion('field', [
  z.strictObject({ field: z.literal('title'), value: releaseName }),
  z.strictObject({ field: z.literal('version'), value: releaseVersion }),
  z.strictObject({ field: z.literal('type'), value: z.enum(RELEASE_TYPES) }),
  z.strictObject({ field: z.literal('changeClass'), value: z.enum(CHANGE_CLASSES) }),
  z.strictObject({ field: z.literal('ticket'), value: ticketRef.nullable() }),
  z.strictObject({ field: z.literal('services'), value: serviceList }),
  z.strictObject({ field: z.literal('environment'), value: environmentName.nullable() }),
  z.strictObject({ field: z.literal('strategy'), value: z.enum(STRATEGIES).nullable() }),
  z.strictObject({ field: z.literal('window'), value: releaseWindow.nullable() }),
  z.strictObject({ field: z.literal('owner'), value: z.string().trim().max(500).nullable() }),
  z.strictObject({ field: z.literal('scope'), value: scopeText.nullable() }),
  // Kept from the first release model (older events carry it).
  z.strictObject({ field: z.literal('severity'), value: z.string().trim().max(500).nullable() }),
]);

const stepRef = { release: id, step: z.number().int().min(1).max(10_000), title: text(300) };
/** Dependencies that were not done when a runner forced a step ahead (kept for the audit trail). */
const forcedPast = z.array(z.number().int().min(1)).min(1).max(50).optional();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex.');

export const RELEASE_EVENTS: Record<string, EventTypeSpec> = {
  'release.created': spec(
    'release',
    'A release was planned.',
    z.strictObject({ title: releaseName, type: z.enum(RELEASE_TYPES).default('minor'), ...releaseFields }),
    (d) => {
      // No status register yet: an unwritten status reads as planned, so a release's first
      // transition names no `pred` and a late-arriving creation never conflicts with it.
      const effects: Effect[] = [{ op: 'flag', name: 'created' }, reg('title', d.title), reg('type', d.type)];
      for (const key of Object.keys(releaseFields) as (keyof typeof releaseFields)[]) {
        const value = d[key];
        if (value !== undefined) effects.push(reg(key, value as JsonValue));
      }
      return effects;
    },
  ),
  'release.updated': spec('release', 'One editable field of a release changed.', releaseUpdate, (d) => [reg(d.field, d.value as JsonValue)]),
  'release.transitioned': spec(
    'release',
    'The release moved to another lifecycle status.',
    z.strictObject({ from: z.enum(RELEASE_STATUSES), to: z.enum(RELEASE_STATUSES), reason: text(2000).optional() }),
    (d) => [reg('status', d.to), { op: 'count', name: 'transitions' }],
  ),
  'runbook.saved': spec(
    'runbook',
    'A runbook template was saved as a new version.',
    z.strictObject({
      doc: runbookDocSchema,
      source: z.strictObject({ format: z.enum(['md', 'yaml', 'editor']), name: z.string().max(300).optional() }).optional(),
    }),
    (d) => [{ op: 'flag', name: 'created' }, reg('doc', d.doc as unknown as JsonValue), { op: 'count', name: 'versions' }],
  ),
  'runbook.archived': spec('runbook', 'A runbook template was archived (kept, hidden from the library).', z.strictObject({ reason: text(500).optional() }), () => [
    { op: 'flag', name: 'archived' },
  ]),
  'runbook.attached': spec(
    'run',
    'A runbook was copied onto a release to be run.',
    z.strictObject({
      release: id,
      doc: runbookDocSchema,
      template: z.strictObject({ id, version: z.number().int().min(1), event: z.string().max(140) }).nullable(),
      source: z.strictObject({ format: z.enum(['md', 'yaml']), name: z.string().max(300).optional() }).nullable(),
    }),
    (d) => [
      { op: 'flag', name: 'created' },
      reg('doc', d.doc as unknown as JsonValue),
      reg('origin', { release: d.release, template: d.template, source: d.source } as JsonValue),
    ],
  ),
  'step.started': spec('run', 'Someone started a step.', z.strictObject({ ...stepRef, forced: forcedPast }), (d) => [
    reg(stepRegister.status(d.step), { state: 'in_progress' }),
    reg(stepRegister.started(d.step), true),
  ]),
  'step.completed': spec('run', 'A step was done.', z.strictObject({ ...stepRef, note: text(4000).optional(), forced: forcedPast }), (d) => [
    reg(stepRegister.status(d.step), { state: 'done' }),
    ...(d.note ? [{ op: 'add', set: 'notes', value: { step: d.step, text: d.note } } as Effect] : []),
  ]),
  'step.skipped': spec('run', 'A step was skipped, with the reason.', z.strictObject({ ...stepRef, reason: text(2000) }), (d) => [
    reg(stepRegister.status(d.step), { state: 'skipped', reason: d.reason }),
  ]),
  'step.failed': spec('run', 'A step failed, with the reason.', z.strictObject({ ...stepRef, reason: text(2000) }), (d) => [
    reg(stepRegister.status(d.step), { state: 'failed', reason: d.reason }),
  ]),
  'step.blocked': spec('run', 'A step is blocked.', z.strictObject({ ...stepRef, reason: text(2000).optional() }), (d) => [
    reg(stepRegister.status(d.step), d.reason ? { state: 'blocked', reason: d.reason } : { state: 'blocked' }),
  ]),
  'step.reset': spec('run', 'A step went back to pending.', z.strictObject({ ...stepRef, reason: text(2000).optional() }), (d) => [
    reg(stepRegister.status(d.step), { state: 'pending' }),
    reg(stepRegister.started(d.step), false),
  ]),
  'step.noted': spec('run', 'A note on a step.', z.strictObject({ ...stepRef, text: text(4000) }), (d) => [
    { op: 'add', set: 'notes', value: { step: d.step, text: d.text } },
  ]),
  'step.assigned': spec('run', 'A step was assigned to someone (or unassigned).', z.strictObject({ ...stepRef, to: z.string().trim().min(1).max(100).nullable() }), (d) => [
    reg(stepRegister.assignee(d.step), d.to),
  ]),
  'step.evidence_added': spec(
    'run',
    'Evidence (a file or a screenshot) was attached to a step; the bytes are in blobs/<sha256>.',
    z.strictObject({ ...stepRef, sha256, name: text(200), mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100), size: z.number().int().min(0) }),
    (d) => [{ op: 'add', set: 'evidence', value: { step: d.step, sha256: d.sha256, name: d.name, mime: d.mime, size: d.size } }],
  ),
  'rollback.started': spec(
    'run',
    'The decision to roll back, with the reason; the rollback is timed from here.',
    z.strictObject({ release: id, reason: text(2000), target: z.number().int().min(1).nullable() }),
    (d) => [{ op: 'flag', name: 'rollback' }, reg('rollback', { reason: d.reason, target: d.target })],
  ),
  'rollback.finished': spec(
    'run',
    'The last rollback step finished: the time to restore against its target.',
    z.strictObject({ release: id, seconds: z.number().int().min(0), target: z.number().int().min(1).nullable(), missed: z.boolean() }),
    (d) => [reg('rollbackResult', { seconds: d.seconds, target: d.target, missed: d.missed })],
  ),
};
