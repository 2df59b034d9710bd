// The runbook model every format reads and writes: a title, sections, and numbered steps. Step
// numbers are positions counted through the whole runbook (1, 2, 3 …), which is what `after`
// refers to, so a runbook needs no invented ids to round-trip through Markdown or YAML.
import { z } from 'zod';

export const STEP_KINDS = ['manual', 'command', 'verification', 'communication'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const LIMITS = {
  title: 300,
  owner: 80,
  text: 50_000,
  sections: 200,
  steps: 1000,
  /** 7 days: a longer step is a typo (`expect: 10d` for ten minutes). */
  durationSeconds: 7 * 24 * 3600,
} as const;

export interface RunbookStep {
  /** One line of inline Markdown. */
  title: string;
  /** Markdown kept verbatim (commands, links, code blocks); "" when there are none. */
  details: string;
  /** A role (`dba`) or a person (`@ana`); null when nobody is named. */
  owner: string | null;
  /** Expected duration in whole seconds; null when not estimated. */
  expect: number | null;
  kind: StepKind;
  /** Numbers of earlier steps that must be done (or skipped) first, ascending. */
  after: number[];
}

export interface RunbookSection {
  /** Heading text (inline Markdown); "" only for content before the first heading. */
  title: string;
  /** Everything in the section that is not a step, verbatim Markdown blocks joined by a blank line. */
  notes: string;
  steps: RunbookStep[];
  /** Time-to-restore target in seconds (meaningful on a Rollback section); null when unset. */
  target: number | null;
}

export interface RunbookDoc {
  title: string;
  services: string[];
  tags: string[];
  /** Front-matter keys other than title/services/tags, as YAML text (kept, never interpreted). */
  extra: string;
  sections: RunbookSection[];
}

/** One line: no line breaks, no surrounding spaces. */
const line = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} has at most ${max} characters.`)
    .refine((s) => !/[\r\n]/.test(s), `${what} must fit on one line.`)
    .refine((s) => s === s.trim(), `${what} may not start or end with spaces.`);

const duration = z.number().int().min(1).max(LIMITS.durationSeconds);
const tag = line(80, 'A name').min(1).refine((s) => !s.includes(','), 'A name may not contain a comma.');

export const runbookStepSchema = z.strictObject({
  title: line(LIMITS.title, 'A step title').min(1, 'A step needs a title.'),
  details: z.string().max(LIMITS.text),
  owner: line(LIMITS.owner, 'An owner')
    .min(1)
    .refine((s) => !/[(),]/.test(s), 'An owner may not contain commas or parentheses.')
    .nullable(),
  expect: duration.nullable(),
  kind: z.enum(STEP_KINDS),
  after: z.array(z.number().int().min(1)).max(50),
});

export const runbookSectionSchema = z.strictObject({
  title: line(LIMITS.title, 'A section title'),
  notes: z.string().max(LIMITS.text),
  steps: z.array(runbookStepSchema).max(LIMITS.steps),
  target: duration.nullable(),
});

/** The model, with the rules that span steps: dependencies point at earlier steps, in order. */
export const runbookDocSchema = z
  .strictObject({
    title: line(LIMITS.title, 'A runbook title').min(1, 'A runbook needs a title.'),
    services: z.array(tag).max(50),
    tags: z.array(tag).max(50),
    extra: z.string().max(LIMITS.text),
    sections: z.array(runbookSectionSchema).max(LIMITS.sections),
  })
  .superRefine((doc, ctx) => {
    let n = 0;
    doc.sections.forEach((section, s) => {
      if (section.title === '' && s > 0) {
        ctx.addIssue({ code: 'custom', message: 'Only the first section may be untitled.', path: ['sections', s, 'title'] });
      }
      section.steps.forEach((step, i) => {
        n += 1;
        const problem = dependencyProblem(n, step.after);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['sections', s, 'steps', i, 'after'] });
      });
    });
    if (n > LIMITS.steps) ctx.addIssue({ code: 'custom', message: `A runbook has at most ${LIMITS.steps} steps.`, path: ['sections'] });
  });

/** Why a step's `after` list is not acceptable, or null. */
export function dependencyProblem(number: number, after: readonly number[]): string | null {
  for (let i = 0; i < after.length; i++) {
    const dep = after[i]!;
    if (dep >= number) return `step ${number} can only wait for earlier steps, not step ${dep}`;
    if (i > 0 && dep <= after[i - 1]!) return `step ${number} lists its dependencies out of order or twice`;
  }
  return null;
}

/** A section named Rollback (any case, optionally "plan", "procedure", "steps" …) is the rollback plan. */
export function isRollbackTitle(title: string): boolean {
  const plain = title
    .replace(/[*_`]/g, '')
    .replace(/^\s*(\d+[.)]|[ivx]+\.)\s*/i, '')
    .replace(/[\s:.]+$/, '')
    .trim();
  return /^roll[\s-]?back(\s+(plan|procedure|steps|runbook|process))?$/i.test(plain);
}

export interface NumberedStep extends RunbookStep {
  number: number;
  section: number;
  rollback: boolean;
}

/** Every step with its number, its section index and whether it belongs to the rollback plan. */
export function numberSteps(doc: RunbookDoc): NumberedStep[] {
  const out: NumberedStep[] = [];
  doc.sections.forEach((section, s) => {
    const rollback = isRollbackTitle(section.title);
    for (const step of section.steps) out.push({ ...step, number: out.length + 1, section: s, rollback });
  });
  return out;
}

/** The time-to-restore target: the first rollback section that names one. */
export function rollbackTarget(doc: RunbookDoc): number | null {
  for (const section of doc.sections) if (isRollbackTitle(section.title) && section.target !== null) return section.target;
  return null;
}

export function emptyStep(title: string): RunbookStep {
  return { title, details: '', owner: null, expect: null, kind: 'manual', after: [] };
}

/**
 * Moves a step (by number) to a position in a section and renumbers every `after` list, for an
 * editor: a dependency that would point forward after the move is dropped, not left invalid.
 */
export function moveStep(doc: RunbookDoc, from: number, to: { section: number; index: number }): RunbookDoc {
  // Each step tagged with its old number, so dependencies can be mapped after the move.
  const tagged = doc.sections.map((section) => section.steps.map((step) => ({ step, old: 0 })));
  let n = 0;
  for (const list of tagged) for (const item of list) item.old = ++n;
  const fromList = tagged.find((list) => list.some((item) => item.old === from));
  const toList = tagged[to.section];
  if (!fromList || !toList) return doc;
  const [moving] = fromList.splice(fromList.findIndex((item) => item.old === from), 1);
  toList.splice(Math.max(0, Math.min(to.index, toList.length)), 0, moving!);
  const renumber = new Map<number, number>();
  n = 0;
  for (const list of tagged) for (const item of list) renumber.set(item.old, ++n);
  return {
    ...doc,
    sections: doc.sections.map((section, s) => ({
      ...section,
      steps: tagged[s]!.map(({ step, old }) => {
        const own = renumber.get(old)!;
        const after = step.after.map((d) => renumber.get(d) ?? 0).filter((d) => d > 0 && d < own);
        return { ...step, after: [...new Set(after)].sort((a, b) => a - b) };
      }),
    })),
  };
}
