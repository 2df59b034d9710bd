// `warroom gonogo …` in-process against a real data folder: the board as a table and as JSON,
// answers, a refused self-approval, a JUnit import and the decision moving the release.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import type { GoNoGoDetail } from '../../src/shared/api/gonogo.ts';
import type { ReleaseDetail } from '../../src/shared/api/releases.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('warroom gonogo', () => {
  it('shows, answers, refuses a self-approval, imports JUnit and decides', async () => {
    const dir = tempDir();
    const cli = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(['--data-dir', dir, ...argv], { out: (s) => (out += s), err: (s) => (err += s) });
      return { code, out, err };
    };
    expect((await cli('init', '--name', 'Ana Silva', '--role', 'lead')).code).toBe(0);
    const created = JSON.parse((await cli('release', 'create', '--name', 'Hotfix', '--version', '7.3.1', '--type', 'emergency', '--json')).out) as ReleaseDetail;
    const id = created.id;
    expect((await cli('release', 'move', id, 'go_no_go')).code).toBe(0);

    const empty = await cli('gonogo', 'show', id);
    expect(empty.out).toMatch(/No checklist attached \(warroom gonogo attach/);
    expect((await cli('gonogo', 'attach', id)).code).toBe(0);

    const answered = await cli('gonogo', 'answer', id, 'rollback-tested', 'met', '--evidence', 'https://ci.example.com/rb/1');
    expect(answered.code).toBe(0);
    expect(answered.out).toMatch(/Operations\s+rollback-tested\s+Rollback was tested.*\s+MET\s+Ana Silva, 2\d{3}-/);
    expect(answered.out).toMatch(/SIGN-OFF\s+STATE\s+BY\nTechnical lead\s+missing/);
    const noComment = await cli('gonogo', 'answer', id, 'monitoring-ready', 'not-met');
    expect(noComment).toMatchObject({ code: 1 });
    expect(noComment.err).toMatch(/Not met and waived need a comment saying why. \(invalid_input, field: comment\)/);
    expect((await cli('gonogo', 'answer', id, 'monitoring-ready', 'not-met', '--comment', 'no payment alerts')).code).toBe(0);

    const self = await cli('gonogo', 'signoff', id, '--role', 'technical-lead');
    expect(self.code).toBe(1);
    expect(self.err).toBe('warroom: Refused: segregation of duties (creator): Ana Silva created the release and may not approve it. (forbidden, field: role)\n');
    expect((await cli('gonogo', 'signoff', id, '--role', 'pilot')).err).toMatch(/--role must be one of technical-lead, operations/);

    const imported = await cli('gonogo', 'import-junit', id, join(import.meta.dirname, '../fixtures/junit/jest-junit.xml'), '--json');
    const board = JSON.parse(imported.out) as GoNoGoDetail;
    expect(board.groups.flatMap((g) => g.criteria).find((c) => c.id === 'regression-passed')).toMatchObject({ state: 'met', answer: { auto: { rule: 'junit_pass_rate' } } });
    expect((await cli('gonogo', 'import-junit', id, join(import.meta.dirname, '../fixtures/junit/malformed.xml'))).err).toMatch(/malformed.xml: Not well-formed XML at line \d+/);

    const refused = await cli('gonogo', 'decide', id, 'go', '--rationale', 'payments down');
    expect(refused.err).toMatch(/needs an explicit exception/);
    const decided = await cli('gonogo', 'decide', id, 'go-with-conditions', '--rationale', 'payments down', '--conditions', 'watch 5xx', '--exception', 'emergency INC-1');
    expect(decided.code).toBe(0);
    expect(decided.out).toMatch(/— deploying; go\/no-go: GO with conditions/);
    expect(decided.out).toMatch(/decision: go with conditions by Ana Silva/);
    const shown = JSON.parse((await cli('gonogo', 'show', id, '--json')).out) as GoNoGoDetail;
    expect(shown).toMatchObject({ status: 'deploying', state: 'go_with_conditions' });

    // A team's own template: print the default, edit it, save it, attach it; set the roles.
    const file = join(dir, 'checklist.json');
    const printed = JSON.parse((await cli('gonogo', 'template', 'default')).out) as { doc: { title: string; criteria: unknown[] } };
    writeFileSync(file, JSON.stringify({ ...printed, doc: { ...printed.doc, title: 'Payments readiness', criteria: printed.doc.criteria.slice(0, 2) } }));
    const saved = await cli('gonogo', 'save-template', file);
    expect(saved.out).toMatch(/^Saved chk-[2-9a-z]{8} v1: Payments readiness \(2 criteria\)/);
    expect((await cli('gonogo', 'templates')).out).toMatch(/default\s+Release readiness \(default\)\s+shipped\s+14\nchk-\S+\s+Payments readiness\s+v1\s+2/);
    const other = JSON.parse((await cli('release', 'create', '--name', 'Pay', '--version', '1.0.0', '--json')).out) as ReleaseDetail;
    await cli('gonogo', 'attach', other.id, '--template', saved.out.split(' ')[1]!);
    const roles = JSON.parse((await cli('gonogo', 'roles', other.id, 'technical-lead,security', '--json')).out) as GoNoGoDetail;
    expect(roles).toMatchObject({ requiredRoles: ['technical_lead', 'security'], counts: { criteria: 2 } });
  });
});
