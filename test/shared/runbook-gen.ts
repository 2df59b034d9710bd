// fast-check generators of runbook models that a person could have written: words, inline
// Markdown, fenced and indented code with arbitrary printable lines, bullet lists, quotes.
import fc from 'fast-check';
import { STEP_KINDS, type RunbookDoc, type RunbookSection, type RunbookStep } from '../../src/shared/runbook-format/model.ts';

const word = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/) },
  { weight: 1, arbitrary: fc.constantFrom('`kubectl get pods`', '**now**', '_carefully_', '[runbook](https://wiki.example.com/x)', 'v1.2.3', 'a/b', 'don’t', '→', '5xx', '(all regions)', '#releases', 'p99<800ms') },
);
const words = (min: number, max: number) => fc.array(word, { minLength: min, maxLength: max }).map((ws) => ws.join(' '));
/** A title never starts with a token that is block syntax at the start of a line. */
const title = fc.tuple(fc.stringMatching(/^[A-Z][a-z]{1,8}$/), words(0, 6)).map(([first, rest]) => (rest ? `${first} ${rest}` : first));

const paragraph = fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z][a-z]{0,6}$/), words(0, 8)), { minLength: 1, maxLength: 3 }).map((lines) =>
  lines.map(([a, b]) => (b ? `${a} ${b}` : a)).join('\n'),
);
const codeLine = fc.oneof(fc.constant(''), fc.tuple(fc.stringMatching(/^ {0,6}$/), fc.stringMatching(/^[ -_a-}]{0,24}[!-_a-}]$/)).map(([pad, text]) => pad + text));
const fenced = fc.tuple(fc.constantFrom('', 'bash', 'sql', 'promql'), fc.array(codeLine, { minLength: 1, maxLength: 5 })).map(
  ([lang, lines]) => `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``,
);
const indented = fc.array(fc.stringMatching(/^[!-_a-}][ -_a-}]{0,20}[!-_a-}]$/), { minLength: 1, maxLength: 3 }).map((lines) => lines.map((l) => `    ${l}`).join('\n'));
const bullets = fc.array(words(1, 5).map((w) => `- ${w.replace(/^[^A-Za-z]+/, 'x')}`), { minLength: 1, maxLength: 4 }).map((items) => items.join('\n'));
const quote = paragraph.map((p) => p.split('\n').map((l) => `> ${l}`).join('\n'));
const block = fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 2, arbitrary: fenced }, { weight: 1, arbitrary: indented }, { weight: 1, arbitrary: bullets }, { weight: 1, arbitrary: quote });
const blocks = (max: number) => fc.array(block, { minLength: 0, maxLength: max }).map((bs) => bs.join('\n\n'));
/** Details start with a paragraph or a fence (an indented code block first would be the title's continuation). */
const details = fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 3, arbitrary: fc.tuple(fc.oneof(paragraph, fenced), blocks(2)).map(([a, b]) => (b ? `${a}\n\n${b}` : a)) });
const notes = fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.tuple(fc.oneof(paragraph, fenced, bullets, quote), blocks(2)).map(([a, b]) => (b ? `${a}\n\n${b}` : a)) });

const duration = fc.option(fc.integer({ min: 1, max: 7 * 24 * 3600 }), { nil: null });

interface DraftStep extends Omit<RunbookStep, 'after'> {
  deps: number[];
}
const step: fc.Arbitrary<DraftStep> = fc.record({
  title,
  details,
  owner: fc.option(fc.stringMatching(/^[a-z@][a-z0-9.-]{0,12}$/), { nil: null }),
  expect: duration,
  kind: fc.constantFrom(...STEP_KINDS),
  deps: fc.array(fc.nat(), { maxLength: 3 }),
});
const section = fc.record({
  title: fc.oneof({ weight: 4, arbitrary: title }, { weight: 1, arbitrary: fc.constantFrom('Rollback', 'rollback plan', 'Pre-deployment', 'Verification') }),
  notes,
  steps: fc.array(step, { maxLength: 5 }),
  target: duration,
});
const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { maxLength: 4 });

export function arbitraryRunbook(): fc.Arbitrary<RunbookDoc> {
  return fc
    .record({
      title,
      services: names,
      tags: names,
      extra: fc.constantFrom('', 'owner_team: dba', 'version: 3\nreviewed: true', 'links:\n  - https://wiki.example.com/a\n  - https://wiki.example.com/b'),
      untitled: fc.option(fc.record({ notes: notes, steps: fc.array(step, { maxLength: 3 }) }), { nil: null }),
      sections: fc.array(section, { maxLength: 5 }),
    })
    .map(({ title: docTitle, services, tags, extra, untitled, sections }) => {
      const drafts: { title: string; notes: string; steps: DraftStep[]; target: number | null }[] = [];
      if (untitled && (untitled.notes !== '' || untitled.steps.length > 0)) drafts.push({ title: '', notes: untitled.notes, steps: untitled.steps, target: null });
      drafts.push(...sections);
      let n = 0;
      const out: RunbookSection[] = drafts.map((s) => ({
        title: s.title,
        notes: s.notes,
        target: s.target,
        steps: s.steps.map(({ deps, ...rest }) => {
          n += 1;
          const after = n > 1 ? [...new Set(deps.map((d) => (d % (n - 1)) + 1))].sort((a, b) => a - b) : [];
          return { ...rest, after };
        }),
      }));
      return { title: docTitle, services, tags, extra, sections: out };
    });
}
