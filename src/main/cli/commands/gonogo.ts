// `warroom gonogo show | templates | template | save-template | attach | roles | answer | signoff |
// withdraw | decide | import-junit`:
// the go/no-go of a release from the command line; tables for people, --json for scripts.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import { DECISION_OUTCOMES } from '../../../shared/events/gonogo-events.ts';
import { BOARD_STATE_LABELS } from '../../../shared/gonogo/board.ts';
import { ANSWERS, SIGNOFF_ROLES } from '../../../shared/gonogo/checklist.ts';
import { CliExit, type CliContext, type CommandModule } from '../context.ts';
import { table } from '../table.ts';

const print = (cli: CliContext, value: unknown) => cli.io.out(`${JSON.stringify(value, null, 2)}\n`);
/** People type `not-met` and `go-with-conditions`; the API says `not_met`, `go_with_conditions`. */
const dashed = (value: string) => value.trim().toLowerCase().replace(/-/g, '_');

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = dashed(value);
  if (!(allowed as readonly string[]).includes(v)) throw new CliExit(`${what} must be one of ${allowed.map((a) => a.replace(/_/g, '-')).join(', ')}, not "${value}".`, 2);
  return v as T;
}

const short = (iso: string) => iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, 'Z');

export function showBoard(cli: CliContext, b: GoNoGoDetail): void {
  cli.io.out(`${b.name} ${b.version} (${b.release}) — ${b.statusLabel}; go/no-go: ${BOARD_STATE_LABELS[b.state]}\n`);
  if (!b.checklist) {
    cli.io.out(`No checklist attached (warroom gonogo attach ${b.release}).\n`);
  } else {
    cli.io.out(`checklist: ${b.checklist.title} (template ${b.checklist.template.id} v${b.checklist.template.version}); ${b.counts.answered}/${b.counts.criteria} answered\n\n`);
    const rows = b.groups.flatMap((g) =>
      g.criteria.map((c) => [
        g.label,
        c.id,
        `${c.statement}${c.mandatory ? '' : ' (optional)'}`,
        c.conflict ? 'CONFLICT' : c.state.replace('_', ' ').toUpperCase(),
        c.answer ? `${c.answer.by.name}${c.answer.auto ? ' (auto)' : ''}, ${short(c.answer.at)}` : '—',
        c.answer?.comment ?? c.answer?.auto?.detail ?? '',
        c.answer?.evidence ? ('url' in c.answer.evidence ? c.answer.evidence.url : c.answer.evidence.name) : '',
      ]),
    );
    cli.io.out(table(['GROUP', 'CRITERION', 'STATEMENT', 'STATE', 'ANSWERED', 'COMMENT', 'EVIDENCE'], rows));
  }
  cli.io.out('\n');
  if (b.roles.length === 0) cli.io.out('No sign-offs required.\n');
  else {
    cli.io.out(
      table(
        ['SIGN-OFF', 'STATE', 'BY'],
        b.roles.map((r) => [
          r.label,
          r.signed ? 'signed' : 'missing',
          r.signoffs.map((s) => `${s.by.name} ${short(s.at)}${s.rejected ? ` — REJECTED: ${s.rejected}` : ''}`).join('; ') || '—',
        ]),
        160,
      ),
    );
  }
  const decision = b.decision.values.map((v) => `${v.outcome.replace(/_/g, ' ')} by ${v.by.name} ${short(v.at)}`).join(' | ');
  cli.io.out(`\ndecision: ${decision || 'none yet'}\n`);
  if (b.blockers.length) cli.io.out(`blockers:\n${b.blockers.map((x) => `  - ${x.text}`).join('\n')}\n`);
  if (b.you?.mayNotSign) cli.io.out(`you: ${b.you.mayNotSign}\n`);
}

export const gonogoCommands: CommandModule = (program, cli) => {
  const gonogo = program.command('gonogo').description('go/no-go checklists, sign-offs and the decision');

  const run = (fn: (core: Parameters<Parameters<CliContext['withCore']>[0]>[0]) => Promise<GoNoGoDetail>, json?: boolean) =>
    cli.withCore(async (core) => {
      const board = await fn(core);
      if (json) return print(cli, board);
      showBoard(cli, board);
    });

  gonogo
    .command('show')
    .description('the board: criteria with answers, sign-offs per role, the decision and its blockers')
    .argument('<release>', 'release id (or a unique start of it)')
    .option('--json', 'print JSON for scripts')
    .action((release: string, opts: { json?: boolean }) => run((core) => cli.call(core, 'gonogo.get', { release }), opts.json));

  gonogo
    .command('templates')
    .description('checklist templates: the shipped default and the team’s own')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const list = await cli.call(core, 'gonogo.templates', {});
        if (opts.json) return print(cli, list);
        cli.io.out(table(['ID', 'TITLE', 'VERSION', 'CRITERIA'], list.map((t) => [t.id, t.title, t.builtIn ? 'shipped' : `v${t.version}`, String(t.criteria)])));
      });
    });

  gonogo
    .command('template')
    .description('print a checklist template as JSON (edit it, then `gonogo save-template FILE`)')
    .argument('<id>', 'template id (default is the shipped one)')
    .option('--version <n>', 'an older version')
    .action(async (id: string, opts: { version?: string }) => {
      const version = opts.version === undefined ? undefined : Number(opts.version);
      if (version !== undefined && !Number.isInteger(version)) throw new CliExit('--version is a whole number.', 2);
      await cli.withCore(async (core) => print(cli, await cli.call(core, 'gonogo.template', { id, ...(version !== undefined ? { version } : {}) })));
    });

  gonogo
    .command('save-template')
    .description('save a checklist template from a JSON file ({title, signoffRoles, criteria}) as a new version')
    .argument('<file>', 'the JSON file (the `doc` of `gonogo template`, or the whole output)')
    .option('--id <id>', 'the template to version (default: a new template)')
    .option('--json', 'print JSON for scripts')
    .action(async (file: string, opts: { id?: string; json?: boolean }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new CliExit(`Cannot read ${file} as JSON: ${(error as Error).message}`);
      }
      const doc = parsed && typeof parsed === 'object' && 'doc' in parsed ? (parsed as { doc: unknown }).doc : parsed;
      await cli.withCore(async (core) => {
        const saved = await cli.call(core, 'gonogo.saveTemplate', { doc: doc as never, ...(opts.id ? { id: opts.id } : {}) });
        if (opts.json) return print(cli, saved);
        cli.io.out(`Saved ${saved.id} v${saved.version}: ${saved.title} (${saved.criteria} criteria)\n`);
      });
    });

  gonogo
    .command('roles')
    .description('set the roles whose sign-off the release needs')
    .argument('<release>', 'release id')
    .argument('<roles>', `comma-separated: ${SIGNOFF_ROLES.map((r) => r.replace(/_/g, '-')).join(', ')}`)
    .option('--json', 'print JSON for scripts')
    .action((release: string, roles: string, opts: { json?: boolean }) => {
      const list = roles.split(',').map((r) => r.trim()).filter(Boolean).map((r) => oneOf(r, SIGNOFF_ROLES, 'A role'));
      return run((core) => cli.call(core, 'gonogo.requireRoles', { release, roles: list }), opts.json);
    });

  gonogo
    .command('attach')
    .description('copy the current version of a checklist template onto a release')
    .argument('<release>', 'release id')
    .option('--template <id>', 'template id (default: the shipped default)', 'default')
    .option('--json', 'print JSON for scripts')
    .action((release: string, opts: { template: string; json?: boolean }) => run((core) => cli.call(core, 'gonogo.attach', { release, template: opts.template }), opts.json));

  gonogo
    .command('answer')
    .description('answer a criterion: met, not-met or waived (not-met and waived need --comment)')
    .argument('<release>', 'release id')
    .argument('<criterion>', 'criterion id (see `gonogo show`)')
    .argument('<answer>', ANSWERS.map((a) => a.replace('_', '-')).join('|'))
    .option('--comment <text>', 'why (required for not-met and waived)')
    .option('--evidence <url>', 'a link to the evidence')
    .option('--attach <file>', 'a file to attach as evidence')
    .option('--json', 'print JSON for scripts')
    .action((release: string, criterion: string, answer: string, opts: { comment?: string; evidence?: string; attach?: string; json?: boolean }) => {
      const value = oneOf(answer, ANSWERS, 'The answer');
      if (opts.evidence && opts.attach) throw new CliExit('Give --evidence or --attach, not both.', 2);
      let evidence: { url: string } | { name: string; base64: string } | undefined;
      if (opts.evidence) evidence = { url: opts.evidence };
      else if (opts.attach) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(opts.attach);
        } catch (error) {
          throw new CliExit(`Cannot read ${opts.attach}: ${(error as Error).message}`);
        }
        evidence = { name: basename(opts.attach), base64: bytes.toString('base64') };
      }
      return run((core) => cli.call(core, 'gonogo.answer', { release, criterion, answer: value, ...(opts.comment ? { comment: opts.comment } : {}), ...(evidence ? { evidence } : {}) }), opts.json);
    });

  gonogo
    .command('signoff')
    .description('sign off the release in a role (refused when segregation of duties forbids it)')
    .argument('<release>', 'release id')
    .requiredOption('--role <role>', SIGNOFF_ROLES.map((r) => r.replace(/_/g, '-')).join(', '))
    .option('--json', 'print JSON for scripts')
    .action((release: string, opts: { role: string; json?: boolean }) => run((core) => cli.call(core, 'gonogo.signoff', { release, role: oneOf(opts.role, SIGNOFF_ROLES, '--role') }), opts.json));

  gonogo
    .command('withdraw')
    .description('withdraw your sign-off (by role or sign-off id) with a reason')
    .argument('<release>', 'release id')
    .argument('<signoff>', 'your role (technical-lead, …) or the sign-off’s event id')
    .requiredOption('--reason <text>', 'why it is withdrawn')
    .option('--json', 'print JSON for scripts')
    .action((release: string, signoff: string, opts: { reason: string; json?: boolean }) => {
      const ref = /^[A-Za-z0-9_]+:\d+$/.test(signoff) ? signoff : dashed(signoff);
      return run((core) => cli.call(core, 'gonogo.withdraw', { release, signoff: ref, reason: opts.reason }), opts.json);
    });

  gonogo
    .command('decide')
    .description('record go, no-go or go-with-conditions; go moves to deploying, no-go back to scheduled')
    .argument('<release>', 'release id')
    .argument('<outcome>', DECISION_OUTCOMES.map((o) => o.replace(/_/g, '-')).join('|'))
    .requiredOption('--rationale <text>', 'why')
    .option('--conditions <text>', 'the conditions (go-with-conditions)')
    .option('--exception <reason>', 'go with open mandatory items: the explicit exception (emergency change)')
    .option('--resolve', 'settle a decision conflict (concurrent decisions from two devices)')
    .option('--json', 'print JSON for scripts')
    .action((release: string, outcome: string, opts: { rationale: string; conditions?: string; exception?: string; resolve?: boolean; json?: boolean }) =>
      run(
        (core) =>
          cli.call(core, 'gonogo.decide', {
            release,
            outcome: oneOf(outcome, DECISION_OUTCOMES, 'The decision'),
            rationale: opts.rationale,
            ...(opts.conditions ? { conditions: opts.conditions } : {}),
            ...(opts.exception ? { exception: opts.exception } : {}),
            resolveConflict: opts.resolve === true,
          }),
        opts.json,
      ),
    );

  gonogo
    .command('import-junit')
    .description('import a JUnit XML test report and evaluate the automatic criteria')
    .argument('<release>', 'release id')
    .argument('<file>', 'the JUnit XML file')
    .option('--json', 'print JSON for scripts')
    .action((release: string, file: string, opts: { json?: boolean }) => {
      let xml: string;
      try {
        xml = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliExit(`Cannot read ${file}: ${(error as Error).message}`);
      }
      return run((core) => cli.call(core, 'gonogo.importJunit', { release, name: basename(file), xml }), opts.json);
    });
};
