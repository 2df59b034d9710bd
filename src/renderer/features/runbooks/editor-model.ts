// Structural edits to a runbook for the editor. Steps are numbered through the whole runbook and
// `after` refers to those numbers, so adding or removing a step renumbers every dependency; a
// dependency on a removed step is dropped rather than left pointing at the wrong one.
import { emptyStep, type RunbookDoc, type RunbookSection, type RunbookStep } from '../../../shared/runbook-format/index.ts';

type Tagged = { step: RunbookStep; old: number };
type TaggedSection = Omit<RunbookSection, 'steps'> & { steps: Tagged[] };

function restructure(doc: RunbookDoc, change: (sections: TaggedSection[]) => TaggedSection[]): RunbookDoc {
  let n = 0;
  const tagged = doc.sections.map((s) => ({ ...s, steps: s.steps.map((step) => ({ step, old: ++n })) }));
  const changed = change(tagged);
  const renumber = new Map<number, number>();
  n = 0;
  for (const section of changed) for (const item of section.steps) {
    n += 1;
    if (item.old > 0) renumber.set(item.old, n);
  }
  n = 0;
  return {
    ...doc,
    sections: changed.map((section) => ({
      ...section,
      steps: section.steps.map(({ step }) => {
        n += 1;
        const own = n;
        const after = step.after.map((d) => renumber.get(d) ?? 0).filter((d) => d > 0 && d < own);
        return { ...step, after: [...new Set(after)].sort((a, b) => a - b) };
      }),
    })),
  };
}

export function addStep(doc: RunbookDoc, section: number, title = 'New step'): RunbookDoc {
  return restructure(doc, (sections) =>
    sections.map((s, i) => (i === section ? { ...s, steps: [...s.steps, { step: emptyStep(title), old: 0 }] } : s)),
  );
}

export function removeStep(doc: RunbookDoc, number: number): RunbookDoc {
  return restructure(doc, (sections) => sections.map((s) => ({ ...s, steps: s.steps.filter((t) => t.old !== number) })));
}

export function addSection(doc: RunbookDoc, title: string): RunbookDoc {
  return { ...doc, sections: [...doc.sections, { title, notes: '', steps: [], target: null }] };
}

export function removeSection(doc: RunbookDoc, index: number): RunbookDoc {
  return restructure(doc, (sections) => sections.filter((_, i) => i !== index));
}

export function updateStep(doc: RunbookDoc, section: number, index: number, patch: Partial<RunbookStep>): RunbookDoc {
  return {
    ...doc,
    sections: doc.sections.map((s, i) => (i === section ? { ...s, steps: s.steps.map((step, j) => (j === index ? { ...step, ...patch } : step)) } : s)),
  };
}

export function updateSection(doc: RunbookDoc, section: number, patch: Partial<Omit<RunbookSection, 'steps'>>): RunbookDoc {
  return { ...doc, sections: doc.sections.map((s, i) => (i === section ? { ...s, ...patch } : s)) };
}

/** "2, 3" → [2, 3]; anything else in the list is ignored (the schema reports what is left). */
export function parseAfter(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .map((s) => Number(s))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export function splitNames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
