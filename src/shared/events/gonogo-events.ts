// Event types of go/no-go: checklist templates, the copy a release is held against, answers
// (one register per criterion, so a changed answer supersedes what its writer saw and
// concurrent answers show as a conflict), sign-offs (an observed-remove set) and decisions
// (a register: concurrent outcomes are a decision_conflict).
import { z } from 'zod';
import { ROLES } from '../domain/people.ts';
import { ANSWERS, SIGNOFF_ROLES, checklistDocSchema, criterionId } from '../gonogo/checklist.ts';
import type { JsonValue } from './canonical.ts';
import type { Effect, EventTypeSpec } from './catalog.ts';
import type { EventData } from './envelope.ts';

function spec<S extends z.ZodType<EventData>>(entity: string, summary: string, data: S, effects: (data: z.output<S>) => Effect[]): EventTypeSpec {
  return { entity, summary, data, effects: effects as (data: EventData) => Effect[] };
}

const text = (max: number) => z.string().trim().min(1).max(max);
const eventRef = z.string().regex(/^[A-Za-z0-9_]{1,64}:\d{1,16}$/, 'Expected an event id (device:seq).');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex.');
const count = z.number().int().min(0).max(10_000_000);

export const DECISION_OUTCOMES = ['go', 'no_go', 'go_with_conditions'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Register of criterion `id` on the release. */
export const answerRegister = (id: string) => `answer.${id}`;

export const evidenceSchema = z.union([
  z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'Evidence links are http(s) URLs.' }).max(2000) }),
  z.strictObject({ sha256, name: text(200), mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100), size: count }),
]);

const inputValue = z.union([z.string().max(2000), z.number().int(), z.boolean(), z.array(z.string().max(300)).max(50)]);

export const GONOGO_EVENTS: Record<string, EventTypeSpec> = {
  'checklist.saved': spec('checklist', 'A go/no-go checklist template was saved as a new version.', z.strictObject({ doc: checklistDocSchema }), (d) => [
    { op: 'flag', name: 'created' },
    { op: 'register', name: 'doc', value: d.doc as unknown as JsonValue },
    { op: 'count', name: 'versions' },
  ]),
  'checklist.attached': spec(
    'release',
    'A go/no-go checklist was copied onto a release.',
    z.strictObject({
      doc: checklistDocSchema,
      template: z.strictObject({ id: text(200), version: z.number().int().min(0), event: z.string().max(140).nullable() }),
    }),
    (d) => [
      { op: 'register', name: 'checklist', value: { doc: d.doc, template: d.template } as unknown as JsonValue },
      { op: 'register', name: 'requiredRoles', value: d.doc.signoffRoles },
    ],
  ),
  'signoffs.required': spec('release', 'The roles whose sign-off the release needs were set.', z.strictObject({ roles: z.array(z.enum(SIGNOFF_ROLES)).max(SIGNOFF_ROLES.length) }), (d) => [
    { op: 'register', name: 'requiredRoles', value: d.roles },
  ]),
  'criterion.answered': spec(
    'release',
    'A go/no-go criterion was answered (met, not met or waived), by a person or by a rule.',
    z
      .strictObject({
        criterion: criterionId,
        answer: z.enum(ANSWERS),
        /** The role the criterion asks to answer it. */
        as: z.enum(SIGNOFF_ROLES),
        comment: text(2000).optional(),
        evidence: evidenceSchema.optional(),
        auto: z.strictObject({ rule: text(40), detail: text(1000), inputs: z.record(z.string().max(60), inputValue) }).optional(),
      })
      .refine((d) => d.answer === 'met' || d.comment !== undefined || d.auto !== undefined, 'Not met and waived need a comment.'),
    (d) => [
      { op: 'register', name: answerRegister(d.criterion), value: d as unknown as JsonValue },
      { op: 'count', name: 'answers' },
    ],
  ),
  'testreport.imported': spec(
    'release',
    'A JUnit XML test report was imported; the file is in blobs/<sha256>.',
    z.strictObject({ name: text(200), sha256, tests: count, passed: count, failures: count, errors: count, skipped: count, suites: count, passRate: z.number().int().min(0).max(100).nullable(), failing: z.array(z.string().max(300)).max(10) }),
    (d) => [{ op: 'register', name: 'testReport', value: d as unknown as JsonValue }],
  ),
  'signoff.given': spec(
    'release',
    'A person signed off the release in a role (a criterion, in the first model).',
    // `as` also accepts the profile roles and `criterion` the per-criterion sign-offs of the first model.
    z.strictObject({ as: z.enum([...SIGNOFF_ROLES, ...ROLES]), criterion: text(200).optional() }),
    (d) => [{ op: 'add', set: 'signoffs', value: d.criterion === undefined ? { as: d.as } : { criterion: d.criterion, as: d.as } } as Effect],
  ),
  'signoff.withdrawn': spec('release', 'A sign-off was withdrawn (removes exactly that sign-off), with the reason.', z.strictObject({ of: eventRef, reason: text(1000).optional() }), (d) => [
    { op: 'remove', set: 'signoffs', of: d.of },
  ]),
  'decision.made': spec(
    'release',
    'The go/no-go decision, with its rationale and what it rested on.',
    z.strictObject({
      outcome: z.enum(DECISION_OUTCOMES),
      /** `reason` is the first model's rationale. */
      reason: text(1000).optional(),
      rationale: text(2000).optional(),
      conditions: text(2000).optional(),
      /** Go with open mandatory items: the explicit exception (an emergency change). */
      exception: text(2000).optional(),
      basis: z
        .strictObject({ open: z.array(z.string().max(300)).max(200), missing: z.array(z.string().max(60)).max(20), invalid: z.array(z.string().max(300)).max(50) })
        .optional(),
    }),
    (d) => [{ op: 'register', name: 'decision', value: d.outcome }],
  ),
};
