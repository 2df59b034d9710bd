// API group: go/no-go — checklist templates, the board of a release, answers, sign-offs with
// segregation of duties, automatic criteria and the decision.
import { z } from 'zod';
import { method } from './define.ts';
import { MAX_EVIDENCE_BYTES } from './runbooks.ts';
import type { ReleaseStatus } from '../domain/releases.ts';
import type { Actor } from '../events/envelope.ts';
import { DECISION_OUTCOMES } from '../events/gonogo-events.ts';
import { ANSWERS, SIGNOFF_ROLES, checklistDocSchema, criterionId, type Answer, type ChecklistDoc, type SignoffRole } from '../gonogo/checklist.ts';
import type { Board } from '../gonogo/board.ts';

const releaseId = z.string().trim().min(1, 'Name a release.').max(200);
const base64 = z
  .string()
  .max(Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4 + 4, `Evidence is at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MiB.`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Expected base64.');

export const answerEvidenceInput = z.union([
  z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'Evidence links are http(s) URLs.' }).max(2000) }),
  z.strictObject({
    name: z.string().trim().min(1, 'Name the file.').max(200),
    mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'Expected a media type such as image/png.').max(100).default('application/octet-stream'),
    base64,
  }),
]);

/** A sample value: a JSON number, or NaN / ±Infinity spelled out (JSON has no such numbers). */
const sampleValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);

export interface GoNoGoDetail extends Board {
  name: string;
  version: string;
  status: ReleaseStatus;
  statusLabel: string;
  /** The person at this device and why they may not sign (segregation of duties), if so. */
  you: { id: string; name: string; role: string; mayNotSign: string | null } | null;
  computedAt: string;
}

export interface ChecklistTemplateSummary {
  id: string;
  title: string;
  /** 0 for the shipped default. */
  version: number;
  versions: number;
  criteria: number;
  builtIn: boolean;
  updatedAt: string | null;
  updatedBy: Actor | null;
}

export interface ChecklistTemplateDetail extends ChecklistTemplateSummary {
  doc: ChecklistDoc;
  event: string | null;
}

export interface AnswerHistoryItem {
  event: string;
  criterion: string;
  answer: Answer;
  as: SignoffRole;
  comment: string | null;
  evidence: unknown;
  auto: boolean;
  by: Actor;
  at: string;
  /** Answers this one replaced (what its writer saw). */
  replaces: string[];
}

export const gonogoApi = {
  'gonogo.get': method<GoNoGoDetail>()({
    input: z.strictObject({ release: releaseId }),
    access: 'read',
    summary: 'The go/no-go board of a release: criteria with answers, sign-offs per required role, blockers and the decision.',
  }),
  'gonogo.templates': method<ChecklistTemplateSummary[]>()({
    input: z.strictObject({}),
    access: 'read',
    summary: 'Checklist templates: the shipped default and the team’s own (current versions).',
  }),
  'gonogo.template': method<ChecklistTemplateDetail>()({
    input: z.strictObject({ id: z.string().trim().min(1).max(200), version: z.number().int().min(0).optional() }),
    access: 'read',
    summary: 'One checklist template (a version of it, or the current one).',
  }),
  'gonogo.saveTemplate': method<ChecklistTemplateDetail>()({
    input: z.strictObject({ id: z.string().trim().min(1).max(200).optional(), doc: checklistDocSchema }),
    access: 'write',
    summary: 'Save a checklist template as a new version (a new template without an id; the default is copied, never changed).',
  }),
  'gonogo.attach': method<GoNoGoDetail>()({
    input: z.strictObject({ release: releaseId, template: z.string().trim().min(1).max(200).default('default') }),
    access: 'write',
    summary: 'Copy the current version of a checklist template onto a release, with its required sign-off roles.',
  }),
  'gonogo.requireRoles': method<GoNoGoDetail>()({
    input: z.strictObject({ release: releaseId, roles: z.array(z.enum(SIGNOFF_ROLES)).max(SIGNOFF_ROLES.length) }),
    access: 'write',
    summary: 'Set the roles whose sign-off the release needs.',
  }),
  'gonogo.answer': method<GoNoGoDetail>()({
    input: z
      .strictObject({
        release: releaseId,
        criterion: criterionId,
        answer: z.enum(ANSWERS, { error: 'Answer met, not_met or waived.' }),
        comment: z.string().trim().min(1).max(2000).optional(),
        evidence: answerEvidenceInput.optional(),
      })
      .refine((a) => a.answer === 'met' || a.comment !== undefined, { message: 'Not met and waived need a comment saying why.', path: ['comment'] }),
    access: 'write',
    summary: 'Answer a criterion (met, not met or waived; not met and waived need a comment), with an evidence link or file.',
  }),
  'gonogo.history': method<AnswerHistoryItem[]>()({
    input: z.strictObject({ release: releaseId, criterion: criterionId.optional() }),
    access: 'read',
    summary: 'Every answer given on a release (or one criterion), oldest first.',
  }),
  'gonogo.signoff': method<GoNoGoDetail>()({
    input: z.strictObject({ release: releaseId, role: z.enum(SIGNOFF_ROLES, { error: `Sign as one of: ${SIGNOFF_ROLES.join(', ')}.` }) }),
    access: 'write',
    summary: 'Sign off the release in a role; refused with the rule when segregation of duties forbids it.',
  }),
  'gonogo.withdraw': method<GoNoGoDetail>()({
    input: z.strictObject({
      release: releaseId,
      /** The sign-off's event id; or the role, for your own sign-off in it. */
      signoff: z.string().trim().min(1).max(140),
      reason: z.string().trim().min(1, 'Say why the sign-off is withdrawn.').max(1000),
    }),
    access: 'write',
    summary: 'Withdraw your sign-off (by event id or role) with a reason.',
  }),
  'gonogo.decide': method<GoNoGoDetail>()({
    input: z
      .strictObject({
        release: releaseId,
        outcome: z.enum(DECISION_OUTCOMES, { error: 'Decide go, no_go or go_with_conditions.' }),
        rationale: z.string().trim().min(1, 'Give the rationale.').max(2000),
        conditions: z.string().trim().min(1).max(2000).optional(),
        exception: z.string().trim().min(1).max(2000).optional(),
        /** Settle a decision conflict: the new decision supersedes every concurrent one. */
        resolveConflict: z.boolean().default(false),
      })
      .refine((d) => d.outcome !== 'go_with_conditions' || d.conditions !== undefined, { message: 'Go with conditions needs the conditions.', path: ['conditions'] }),
    access: 'write',
    summary: 'Record go, no-go or go-with-conditions; go with open items needs an exception; go moves to deploying, no-go back to scheduled.',
  }),
  'gonogo.importJunit': method<GoNoGoDetail>()({
    input: z.strictObject({ release: releaseId, name: z.string().trim().min(1).max(200), xml: z.string().max(MAX_EVIDENCE_BYTES) }),
    access: 'write',
    summary: 'Import a JUnit XML test report: stored as evidence, then automatic criteria are evaluated.',
  }),
  'gonogo.evaluate': method<GoNoGoDetail>()({
    input: z.strictObject({
      release: releaseId,
      samples: z.record(z.string().max(120), z.array(z.strictObject({ at: z.number().int(), value: sampleValue })).max(100_000)).optional(),
    }),
    access: 'write',
    summary: 'Evaluate the automatic criteria now (runbook sections, test report, metric samples) and record changed answers.',
  }),
};
