// Runbook import/export: every fixture imports without losing text, every format round-trips,
// generated runbooks round-trip (fast-check), and errors name their line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  exportMarkdown,
  exportRunbook,
  exportYaml,
  importMarkdown,
  importRunbook,
  importYaml,
  isRollbackTitle,
  moveStep,
  numberSteps,
  parseDuration,
  formatDuration,
  rollbackTarget,
  runbookDocSchema,
  type RunbookDoc,
} from '../../src/shared/runbook-format/index.ts';
import { arbitraryRunbook } from './runbook-gen.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/runbooks');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const load = (name: string) => importRunbook(fixture(name), detectFormat('', name), { fallbackTitle: name }).doc;

/** Every piece of text a person wrote, as the model holds it. */
function modelText(doc: RunbookDoc): string {
  return [
    doc.title,
    doc.extra,
    ...doc.services,
    ...doc.tags,
    ...doc.sections.flatMap((s) => [s.title, s.notes, ...s.steps.flatMap((st) => [st.title, st.details, st.owner ?? ''])]),
  ].join('\n');
}

/** Words of the Markdown body that are content, not convention (markers, attribute groups). */
function contentWords(markdown: string): string[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  return body
    .split('\n')
    .map((line) => line.replace(/\((?:owner|expect|kind|after|target)[^()]*\)\s*$/, '').replace(/^(\s*)([-*+]|\d+[.)])\s+\[[ xX]\]/, '$1$2'))
    .join('\n')
    .split(/\s+/)
    .filter((w) => w !== '' && !/^(\d+[.)]|[-*+]|\[[ xX]\]|#+|=+|-{3,}|>)$/.test(w));
}

describe('fixtures', () => {
  const files = readdirSync(FIXTURES).sort();

  it('has six runbooks of different shapes', () => {
    expect(files).toHaveLength(6);
  });

  it.each(files)('%s imports without dropping any text', (name) => {
    const source = fixture(name);
    const doc = load(name);
    expect(runbookDocSchema.safeParse(doc).success).toBe(true);
    if (name.endsWith('.md')) {
      const text = modelText(doc);
      const missing = contentWords(source).filter((w) => !text.includes(w));
      expect(missing).toEqual([]);
    }
  });

  it.each(files)('%s round-trips through Markdown and YAML', (name) => {
    const doc = load(name);
    expect(importMarkdown(exportMarkdown(doc)).doc).toEqual(doc);
    expect(importYaml(exportYaml(doc)).doc).toEqual(doc);
    // Export is stable: exporting the re-import gives the same bytes.
    expect(exportMarkdown(importMarkdown(exportMarkdown(doc)).doc)).toBe(exportMarkdown(doc));
  });

  it('reads the database migration: front matter, attributes, code blocks verbatim, rollback target', () => {
    const doc = load('database-migration.md');
    expect(doc.title).toBe('Orders DB schema migration (v42 → v43)');
    expect(doc.services).toEqual(['orders-db', 'orders-api']);
    expect(doc.tags).toEqual(['database', 'postgres', 'schema']);
    expect(doc.extra).toBe('owner_team: data-platform\nchange_ticket: CHG-20418');
    expect(doc.sections.map((s) => s.title)).toEqual(['', 'Pre-deployment checks', 'Migration', 'Verification', 'Rollback']);
    expect(doc.sections[0]!.notes).toMatch(/^Adds the `fulfilment_region` column[\s\S]*> \*\*Stop condition:\*\*/);
    const steps = numberSteps(doc);
    expect(steps).toHaveLength(14);
    expect(steps[1]).toMatchObject({ title: 'Take a fresh snapshot of the primary', owner: 'dba', expect: 900, kind: 'command', after: [] });
    expect(steps[1]!.details).toBe(
      '```bash\naws rds create-db-snapshot \\\n  --db-instance-identifier orders-prod-primary \\\n  --db-snapshot-identifier orders-pre-v43-$(date +%Y%m%d%H%M)\n```\n\nWait until the snapshot status is `available` before continuing.',
    );
    expect(steps[4]).toMatchObject({ number: 5, title: 'Apply migration `V43__add_fulfilment_region.sql`', after: [2, 3] });
    expect(steps.filter((s) => s.rollback).map((s) => s.number)).toEqual([11, 12, 13, 14]);
    expect(rollbackTarget(doc)).toBe(1800);
    expect(doc.sections[4]!.notes).toBe('The column is nullable, so the old application version keeps working; roll back the app first.');
  });

  it('reads the blue-green cutover: a table before the first heading, task lists, dependencies', () => {
    const doc = load('blue-green-cutover.md');
    expect(doc.sections[0]!.title).toBe('');
    expect(doc.sections[0]!.notes).toContain('| green | `tg-checkout-green` | `checkout-green.internal` |');
    const steps = numberSteps(doc);
    expect(steps).toHaveLength(14);
    expect(steps[6]).toMatchObject({ title: 'Point the legacy CNAME `shop.example.com` at the green LB', owner: 'netops', after: [4, 6] });
    expect(steps[7]!.details).toBe('Abort and switch back if 5xx > 1 % or p99 > 800 ms.');
    expect(rollbackTarget(doc)).toBe(600);
  });

  it('reads the canary: PromQL kept verbatim and lists numbered from 9', () => {
    const doc = load('canary-metrics.md');
    const steps = numberSteps(doc);
    expect(steps).toHaveLength(10);
    expect(steps[2]!.details).toContain('  / sum(rate(http_requests_total{app="search-api",track="canary"}[5m]))');
    expect(steps[9]).toMatchObject({ title: 'Confirm all pods run 3.7.2', after: [9], rollback: true });
    expect(doc.sections[1]!.notes).toMatch(/^Compare canary against the stable baseline/);
  });

  it('reads the mobile backend YAML: extra keys and comments kept', () => {
    const doc = load('mobile-backend.yaml');
    expect(doc.title).toBe('Mobile backend 2026.11');
    expect(doc.extra).toBe('# Mobile backend release: API gateway config, push service and a forced-update flag.\napp_store_review: "approved 2026-11-20"');
    expect(numberSteps(doc)).toHaveLength(11);
    expect(doc.sections[3]).toMatchObject({ title: 'Rollback', target: 1200 });
    expect(doc.sections[1]!.steps[0]!.details).toBe('```bash\n./deploy.sh mobile-gateway 14.2.0 --region eu-west-1 --region us-east-1\n```');
  });

  it('reads the emergency hotfix: H1 title, plain numbered list, a wrapped step and an aside', () => {
    const doc = load('emergency-hotfix.md');
    expect(doc.title).toBe('HOTFIX: payment webhook signature bypass');
    const steps = numberSteps(doc);
    expect(steps.map((s) => s.title)).toEqual([
      'Get verbal approval from the incident commander and write the name in the ticket',
      'Build the fix from `hotfix/sec-2231` — `make release TAG=4.18.3`',
      'Deploy to one canary pod, then all',
      'Replay the exploit request; it must now get HTTP 401',
      'Tell security and support it is fixed',
      "Redeploy 4.18.2 only on the commander's call",
    ]);
    expect(steps[2]).toMatchObject({ owner: 'on-call', expect: 600, details: '`kubectl -n payments set image deploy/webhooks webhooks=registry/webhooks:4.18.3`' });
    expect(steps[4]!.kind).toBe('communication');
    expect(doc.sections[0]!.notes).toContain('Rollback: redeploy 4.18.2.');
  });

  it('reads the free-form wiki page as notes only, with a warning', () => {
    const result = importRunbook(fixture('wiki-freeform.md'), 'md');
    expect(result.doc.title).toBe('Release process for the reporting service');
    expect(numberSteps(result.doc)).toHaveLength(0);
    expect(result.warnings[0]).toMatch(/No steps found/);
    expect(result.doc.sections.map((s) => s.title)).toEqual(['', 'Overview', 'Who does what', 'Steps', 'If something goes wrong']);
    expect(result.doc.sections[3]!.notes).toContain('    git tag -a reporting-2026.11.24 -m "weekly release"');
    expect(result.doc.sections[4]!.notes).toContain('<!-- TODO: move this page into the runbook tool -->');
  });
});

describe('generated runbooks', () => {
  it('import(export(x)) deep-equals x in Markdown and in YAML', () => {
    fc.assert(
      fc.property(arbitraryRunbook(), (doc) => {
        expect(runbookDocSchema.safeParse(doc).success).toBe(true);
        expect(importMarkdown(exportMarkdown(doc)).doc).toEqual(doc);
        expect(importYaml(exportYaml(doc)).doc).toEqual(doc);
      }),
      { numRuns: 250, seed: 424242 },
    );
  });
});

describe('export guards', () => {
  const base = (title: string, sectionTitle = 'Deploy'): RunbookDoc => ({
    title: 'T',
    services: [],
    tags: [],
    extra: '',
    sections: [{ title: sectionTitle, notes: '', target: null, steps: [{ title, details: '', owner: null, expect: null, kind: 'manual', after: [] }] }],
  });

  it('protects titles that end like an attribute group', () => {
    for (const doc of [base('Restart (owner: nobody)'), base('Wait (expect: forever)'), base('Plain', 'Rollback (target: 5m)')]) {
      expect(importMarkdown(exportMarkdown(doc)).doc).toEqual(doc);
    }
    expect(exportMarkdown(base('Restart (owner: nobody)'))).toContain('1. Restart (owner: nobody) (kind: manual)');
  });

  it('writes the convention', () => {
    const doc = load('database-migration.md');
    const md = exportRunbook(doc, 'md');
    expect(md).toMatch(/^---\ntitle: Orders DB schema migration \(v42 → v43\)\nservices: \[ orders-db, orders-api \]\n/);
    expect(md).toContain('\n## Rollback (target: 30m)\n');
    expect(md).toContain('\n5. Apply migration `V43__add_fulfilment_region.sql` (owner: dba, expect: 5m, kind: command, after: 2, 3)\n');
  });
});

describe('import errors name the line', () => {
  const cases: [string, string, RegExp][] = [
    ['md', '# T\n\n## Deploy\n\n- [ ] ok\n- [ ] bad (kind: banana)\n', /^line 6: unknown step kind "banana"/],
    ['md', '# T\n\n1. one\n2. two (after: 2)\n', /^line 4: step 2 can only wait for earlier steps, not step 2/],
    ['md', '# T\n\n1. one (expect: soon)\n', /^line 3: expect "soon" is not a duration/],
    ['md', '# T\n\n1. one (owner: a, owner: b)\n', /^line 3: the attribute "owner" is given twice/],
    ['md', '---\ntitle: T\nservices: [a, b\n---\n\n1. x\n', /^line [23]: YAML: /],
    ['md', '---\ntitle: [not, text]\n---\n', /^line 2: title must be text/],
    ['md', '# T\n\n## Rollback (target: 10 parsecs)\n', /^line 3: target "10 parsecs" is not a duration/],
    ['yaml', 'title: T\nsections:\n  - title: A\n    steps:\n      - title: x\n        ownr: dba\n', /^line 6: unknown step field "ownr"/],
    ['yaml', 'title: T\nsections:\n  - title: A\n    steps:\n      - title: x\n      - title: y\n        after: [2]\n', /^line 7: step 2 can only wait for earlier steps/],
    ['yaml', 'title: T\nsections:\n  - title: A\n    steps:\n      - owner: dba\n', /^line 5: step 1 needs a title/],
    ['yaml', 'title: T\nsections: [\n', /^line \d: YAML: /],
    ['yaml', 'title: T\nsections:\n  - title: A\n    target: 30 fortnights\n', /^line 4: target "30 fortnights"/],
  ];
  it.each(cases)('%s: %j', (format, text, message) => {
    expect(() => importRunbook(text, format as 'md' | 'yaml')).toThrow(message);
    try {
      importRunbook(text, format as 'md' | 'yaml');
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_input', field: 'text' });
    }
  });
});

describe('convention details', () => {
  it('reads attributes after the first line or at the end of a wrapped title', () => {
    const { doc } = importMarkdown(
      '# T\n\n1. [ ] Drain the node and wait for\n   all pods to leave (expect: 10m)\n2. Check lag (owner: dba)\n   then continue\n3. Restart (all regions)\n4.\n',
    );
    expect(doc.sections[0]!.steps.map((s) => [s.title, s.details, s.expect, s.owner])).toEqual([
      ['Drain the node and wait for all pods to leave', '', 600, null],
      ['Check lag', 'then continue', null, 'dba'],
      ['Restart (all regions)', '', null, null],
      ['Untitled step', '', null, null],
    ]);
  });

  it('keeps lists without checkboxes, quotes and tables as notes, in order', () => {
    const { doc } = importMarkdown('## S\n\n- a\n- [ ] step\n- b\n\n> careful\n\n| x |\n| - |\n| 1 |\n');
    expect(doc.sections[0]!.notes).toBe('- a\n\n- b\n\n> careful\n\n| x |\n| - |\n| 1 |');
    expect(doc.sections[0]!.steps.map((s) => s.title)).toEqual(['step']);
  });
});

describe('pieces', () => {
  it('parses and formats durations', () => {
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1h 30m')).toBe(5400);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('45 min')).toBe(2700);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15')).toBe(900);
    expect(parseDuration('none')).toBeNull();
    expect(parseDuration('soon')).toBeUndefined();
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(3725)).toBe('1h2m5s');
    expect(formatDuration(45)).toBe('45s');
  });

  it('knows a rollback section by its name in any case', () => {
    for (const t of ['Rollback', 'ROLLBACK', 'rollback plan', 'Roll back', '5. Rollback procedure', 'Roll-back:']) expect(isRollbackTitle(t)).toBe(true);
    for (const t of ['Rollback triggers', 'Deploy', 'After rollback']) expect(isRollbackTitle(t)).toBe(false);
  });

  it('detects the format from the name or the text', () => {
    expect(detectFormat('', 'a.yml')).toBe('yaml');
    expect(detectFormat('', 'a.MD')).toBe('md');
    expect(detectFormat('title: x\nsections:\n  - title: a\n')).toBe('yaml');
    expect(detectFormat('---\ntitle: x\n---\n# Hi\n')).toBe('md');
    expect(detectFormat('# Hi\n\n1. step\n')).toBe('md');
  });

  it('moves a step and renumbers dependencies', () => {
    const doc = load('canary-metrics.md');
    // Move step 1 (error budget) to the end of "Before": steps 1 and 2 swap.
    const moved = moveStep(doc, 1, { section: 0, index: 1 });
    const steps = numberSteps(moved);
    expect(steps[0]!.title).toMatch(/^Deploy 3.8/);
    expect(steps[0]!.after).toEqual([]); // pointed forward after the move: dropped
    expect(steps[2]!.after).toEqual([1]); // 5 % error ratio still waits for the deploy
    expect(runbookDocSchema.safeParse(moved).success).toBe(true);
  });
});
