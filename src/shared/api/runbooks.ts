// API group: runbook templates (import, export, edit as versions, attach to a release) and
// running them (step states, notes, assignees, evidence, rollback).
import { z } from 'zod';
import { method } from './define.ts';
import type { RunView } from '../domain/runbooks.ts';
import type { Actor } from '../events/envelope.ts';
import { runbookDocSchema, type RunbookDoc } from '../runbook-format/model.ts';

const id = z.string().trim().min(1).max(250);
/** A step by number (3), or by id (`run-ab12cd34/3`). */
const stepRef = z.union([z.number().int().min(1).max(10_000), z.string().trim().min(1).max(250)]);
const reason = z.string().trim().min(1, 'Give a reason.').max(2000);

/** Evidence is sent as base64; decoded it may be at most this large. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_CHARS = 2_000_000;

export interface TemplateVersion {
  version: number;
  event: string;
  at: string;
  by: Actor;
  title: string;
  steps: number;
}

export interface TemplateSummary {
  id: string;
  title: string;
  services: string[];
  tags: string[];
  /** The version shown as current (the newest when two were saved concurrently). */
  version: number;
  versions: number;
  sections: number;
  steps: number;
  rollbackTarget: number | null;
  updatedAt: string;
  updatedBy: Actor;
  archived: boolean;
  /** Two versions were saved concurrently; `conflictVersions` lists them. */
  conflict: boolean;
}

export interface TemplateDetail extends TemplateSummary {
  kind: 'template';
  doc: RunbookDoc;
  /** Event id of the version shown; an editor passes it back as `basedOn`. */
  event: string;
  conflictVersions: TemplateVersion[];
  history: TemplateVersion[];
}

export type RunDetail = RunView & { kind: 'run'; releaseStatus: string; releaseName: string };

export type RunbookDetail = TemplateDetail | RunDetail;

export interface ImportOutcome {
  doc: RunbookDoc;
  format: 'md' | 'yaml';
  warnings: string[];
  template: TemplateDetail | null;
  run: RunDetail | null;
}

const target = { release: id, step: stepRef, run: id.optional() };

export const runbooksApi = {
  'runbook.import': method<ImportOutcome>()({
    input: z.strictObject({
      text: z.string().max(MAX_IMPORT_CHARS, `A runbook file has at most ${MAX_IMPORT_CHARS} characters.`),
      format: z.enum(['md', 'yaml']).optional(),
      /** File name: picks the format when none is given, and the title when the file has none. */
      name: z.string().trim().max(300).optional(),
      /** Attach straight to this release (a run), instead of saving a template. */
      release: id.optional(),
      /** Save as a new version of this template instead of a new template. */
      template: id.optional(),
    }),
    access: 'write',
    summary: 'Import Markdown or YAML as a template (or a new version of one), or attach it straight to a release.',
  }),
  'runbook.export': method<{ text: string; format: 'md' | 'yaml'; fileName: string }>()({
    input: z.strictObject({ id, format: z.enum(['md', 'yaml']).default('md'), version: z.number().int().min(1).optional() }),
    access: 'read',
    summary: 'A template (current or a given version) or a run’s runbook as Markdown or YAML.',
  }),
  'runbook.list': method<TemplateSummary[]>()({
    input: z.strictObject({ text: z.string().trim().max(200).optional(), includeArchived: z.boolean().default(false) }),
    access: 'read',
    summary: 'The template library, newest first.',
  }),
  'runbook.get': method<RunbookDetail>()({
    input: z.strictObject({ id, version: z.number().int().min(1).optional() }),
    access: 'read',
    summary: 'A template with its versions, or a run with every step’s state, waiting, elapsed/overrun, progress, ETA and rollback clock.',
  }),
  'runbook.saveTemplate': method<TemplateDetail>()({
    input: z.strictObject({ id: id.optional(), doc: runbookDocSchema, basedOn: z.string().max(140).optional() }),
    access: 'write',
    summary: 'Save an edited runbook as the next version of its template (or as a new template without id).',
  }),
  'runbook.archive': method<TemplateSummary>()({
    input: z.strictObject({ id, reason: reason.optional() }),
    access: 'write',
    summary: 'Hide a template from the library (kept, with all its versions).',
  }),
  'runbook.attach': method<RunDetail>()({
    input: z.strictObject({ release: id, template: id, version: z.number().int().min(1).optional() }),
    access: 'write',
    summary: 'Copy a template version (default: current) onto a release to run; later edits never change it.',
  }),
  'step.start': method<RunDetail>()({
    input: z.strictObject({ ...target, note: z.string().trim().min(1).max(4000).optional(), force: z.boolean().default(false) }),
    access: 'write',
    summary: 'Start a step (refused while it waits for earlier steps unless forced).',
  }),
  'step.done': method<RunDetail>()({
    input: z.strictObject({ ...target, note: z.string().trim().min(1).max(4000).optional(), force: z.boolean().default(false) }),
    access: 'write',
    summary: 'Complete a step; completing the last rollback step records the time to restore and rolls the release back.',
  }),
  'step.skip': method<RunDetail>()({
    input: z.strictObject({ ...target, reason }),
    access: 'write',
    summary: 'Skip a step, with the reason.',
  }),
  'step.fail': method<RunDetail>()({
    input: z.strictObject({ ...target, reason }),
    access: 'write',
    summary: 'Mark a step failed, with the reason.',
  }),
  'step.block': method<RunDetail>()({
    input: z.strictObject({ ...target, reason: reason.optional() }),
    access: 'write',
    summary: 'Mark a step blocked.',
  }),
  'step.reset': method<RunDetail>()({
    input: z.strictObject({ ...target, reason: reason.optional() }),
    access: 'write',
    summary: 'Put a step back to pending (undo).',
  }),
  'step.note': method<RunDetail>()({
    input: z.strictObject({ ...target, text: z.string().trim().min(1, 'Write the note.').max(4000) }),
    access: 'write',
    summary: 'Add a note to a step.',
  }),
  'step.assign': method<RunDetail>()({
    input: z.strictObject({ ...target, to: z.string().trim().min(1).max(100).nullable() }),
    access: 'write',
    summary: 'Assign a step to a person (id or name) or a role; null unassigns.',
  }),
  'step.attach': method<RunDetail>()({
    input: z.strictObject({
      ...target,
      name: z.string().trim().min(1, 'Name the file.').max(200),
      mime: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'Expected a media type such as image/png.').max(100).default('application/octet-stream'),
      base64: z
        .string()
        .max(Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4 + 4, `Evidence is at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MiB.`)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Expected base64.'),
    }),
    access: 'write',
    summary: 'Attach evidence (a file or screenshot, base64) to a step; stored once by SHA-256 in the data folder.',
  }),
  'evidence.get': method<{ sha256: string; size: number; base64: string }>()({
    input: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex.') }),
    access: 'read',
    summary: 'The bytes of a piece of evidence, checked against its hash.',
  }),
  'rollback.start': method<RunDetail>()({
    input: z.strictObject({ release: id, run: id.optional(), reason, target: z.number().int().min(1).max(7 * 86400).optional() }),
    access: 'write',
    summary: 'Decide to roll back (with the reason): times the rollback section against its time-to-restore target.',
  }),
};
