// `warroom runbook import | export | list | attach`, `warroom step start | done | skip | fail |
// block | reset | note` and `warroom rollback start`: runbooks and the checklist from scripts.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RunDetail } from '../../../shared/api/runbooks.ts';
import { stateLabel } from '../../../shared/domain/runbooks.ts';
import { formatDuration } from '../../../shared/runbook-format/attributes.ts';
import { CliExit, type CliContext, type CommandModule } from '../context.ts';
import { minutes, table } from '../table.ts';

const print = (cli: CliContext, value: unknown) => cli.io.out(`${JSON.stringify(value, null, 2)}\n`);

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliExit(code === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${(error as Error).message}`);
  }
}

function format(value: string | undefined): 'md' | 'yaml' | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'md' || v === 'markdown') return 'md';
  if (v === 'yaml' || v === 'yml') return 'yaml';
  throw new CliExit(`--format is md or yaml, not "${value}".`, 2);
}

/** STEP as typed: a number (3) or an id (run-…/3). */
function stepArg(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

function steps(cli: CliContext, run: RunDetail): void {
  cli.io.out(
    table(
      ['#', 'STEP', 'STATE', 'OWNER', 'EXPECT', 'ELAPSED', 'NOTE'],
      run.steps.map((s) => [
        `${s.rollback ? 'R' : ''}${s.number}`,
        s.title,
        `${stateLabel(s.state)}${s.waiting ? ` (waits for ${s.waitingOn.join(', ')})` : ''}`,
        s.assignee?.to ?? s.owner ?? '—',
        minutes(s.expect),
        s.elapsed === null ? '—' : `${minutes(s.elapsed)}${s.overrun > 0 ? ` (+${minutes(s.overrun)} over)` : ''}`,
        s.reason ?? s.notes.at(-1)?.text ?? '',
      ]),
    ),
  );
}

function summary(run: RunDetail): string {
  const p = run.progress;
  const eta = p.eta ? `, about ${minutes(p.remaining)} left (ETA ${p.eta.replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z')})` : '';
  const rb = run.rollback;
  const rollback = rb.recorded
    ? `; rollback took ${formatDuration(rb.recorded.seconds) || '0s'}${rb.recorded.target ? (rb.recorded.missed ? `, MISSING the ${formatDuration(rb.recorded.target)} target` : `, within ${formatDuration(rb.recorded.target)}`) : ''}`
    : rb.started
      ? `; rolling back for ${minutes(rb.elapsed)}${rb.target ? ` of ${formatDuration(rb.target)}${rb.missed ? ' (target MISSED)' : ''}` : ''}`
      : '';
  return `${run.title}: ${p.done + p.skipped}/${p.total} steps (${p.percent}%)${p.failed ? `, ${p.failed} failed` : ''}${eta}${rollback}; release ${run.releaseStatus.replace('_', ' ')}`;
}

export const runbookCommands: CommandModule = (program, cli) => {
  const runbook = program.command('runbook').description('runbook templates: import, export, list, attach to a release');

  runbook
    .command('import')
    .description('import a Markdown or YAML runbook as a template, or straight onto a release')
    .argument('<file>', 'a .md or .yaml file (docs/runbook-format.md)')
    .option('--release <id>', 'attach it to this release to run')
    .option('--template <id>', 'save it as a new version of this template')
    .option('--format <format>', 'md or yaml (default: from the file name, else the content)')
    .option('--json', 'print JSON for scripts')
    .action(async (file: string, opts: { release?: string; template?: string; format?: string; json?: boolean }) => {
      const text = readText(file);
      const fmt = format(opts.format);
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'runbook.import', {
          text,
          name: basename(file),
          ...(fmt ? { format: fmt } : {}),
          ...(opts.release ? { release: opts.release } : {}),
          ...(opts.template ? { template: opts.template } : {}),
        });
        if (opts.json) return print(cli, r);
        for (const warning of r.warnings) cli.io.err(`warroom: ${warning}\n`);
        const count = r.doc.sections.reduce((n, s) => n + s.steps.length, 0);
        const shape = `${r.doc.sections.length} sections, ${count} steps`;
        if (r.run) cli.io.out(`Attached “${r.doc.title}” to ${r.run.release} as ${r.run.id} (${shape}${r.run.rollback.target ? `, rollback target ${formatDuration(r.run.rollback.target)}` : ''})\n`);
        else if (r.template) cli.io.out(`Saved “${r.doc.title}” as template ${r.template.id} version ${r.template.version} (${shape})\n`);
      });
    });

  runbook
    .command('export')
    .description('print a template or a run as Markdown or YAML')
    .argument('<id>', 'template id (tpl-…) or run id (run-…)')
    .option('--format <format>', 'md or yaml', 'md')
    .option('--version <n>', 'a template version (default: current)')
    .option('--out <file>', 'write to a file instead of printing')
    .action(async (id: string, opts: { format: string; version?: string; out?: string }) => {
      const fmt = format(opts.format)!;
      const version = opts.version === undefined ? undefined : Number(opts.version);
      if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new CliExit('--version must be a whole number from 1.', 2);
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'runbook.export', { id, format: fmt, ...(version ? { version } : {}) });
        if (opts.out) {
          writeFileSync(opts.out, r.text);
          cli.io.out(`Wrote ${opts.out}\n`);
        } else cli.io.out(r.text);
      });
    });

  runbook
    .command('list')
    .description('the template library')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const list = await cli.call(core, 'runbook.list', {});
        if (opts.json) return print(cli, list);
        if (list.length === 0) return cli.io.out('No runbook templates (warroom runbook import FILE).\n');
        cli.io.out(table(['ID', 'TITLE', 'VERSION', 'STEPS', 'ROLLBACK', 'UPDATED'], list.map((t) => [t.id, t.title, String(t.version), String(t.steps), minutes(t.rollbackTarget), `${t.updatedAt.slice(0, 16).replace('T', ' ')} ${t.updatedBy.name}`])));
      });
    });

  runbook
    .command('attach')
    .description('copy a template (its current version) onto a release to run')
    .argument('<template>', 'template id')
    .requiredOption('--release <id>', 'the release')
    .option('--version <n>', 'a template version (default: current)')
    .option('--json', 'print JSON for scripts')
    .action(async (template: string, opts: { release: string; version?: string; json?: boolean }) => {
      await cli.withCore(async (core) => {
        const run = await cli.call(core, 'runbook.attach', { release: opts.release, template, ...(opts.version ? { version: Number(opts.version) } : {}) });
        if (opts.json) return print(cli, run);
        cli.io.out(`Attached “${run.title}” (template ${template} version ${run.origin.template?.version}) to ${run.release} as ${run.id}\n`);
      });
    });

  runbook
    .command('show')
    .description('a run’s steps with their state, or a template')
    .argument('<id>', 'run id (run-…) or template id (tpl-…)')
    .option('--json', 'print JSON for scripts')
    .action(async (id: string, opts: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'runbook.get', { id });
        if (opts.json) return print(cli, r);
        if (r.kind === 'template') {
          cli.io.out(`${r.title} — template ${r.id}, version ${r.version} of ${r.versions}\n`);
          return;
        }
        cli.io.out(`${summary(r)}\n\n`);
        steps(cli, r);
      });
    });

  const step = program.command('step').description('run a runbook step: start, done, skip, fail, block, reset, note');
  const act = (name: 'start' | 'done' | 'skip' | 'fail' | 'block' | 'reset', description: string, needsReason: boolean) =>
    step
      .command(name)
      .description(description)
      .argument('<release>', 'release id')
      .argument('<step>', 'step number, or id (run-…/3) when the release has several runbooks')
      .option('--note <text>', needsReason ? 'the reason (required)' : 'a note on the step')
      .option('--reason <text>', needsReason ? 'the reason (same as --note)' : 'why')
      .option('--force', 'start or complete even though earlier steps it waits for are not done')
      .option('--json', 'print JSON for scripts')
      .action(async (release: string, stepText: string, opts: { note?: string; reason?: string; force?: boolean; json?: boolean }) => {
        const reason = opts.reason ?? (needsReason || name === 'block' || name === 'reset' ? opts.note : undefined);
        if (needsReason && !reason) throw new CliExit(`${name} needs a reason: --reason TEXT (or --note TEXT).`, 2);
        const note = needsReason ? undefined : opts.note;
        await cli.withCore(async (core) => {
          const base = { release, step: stepArg(stepText) };
          let run: RunDetail;
          if (name === 'start' || name === 'done') run = await cli.call(core, `step.${name}`, { ...base, ...(note ? { note } : {}), force: opts.force === true });
          else if (name === 'skip' || name === 'fail') run = await cli.call(core, `step.${name}`, { ...base, reason: reason! });
          else run = await cli.call(core, `step.${name}`, { ...base, ...(reason ? { reason } : {}) });
          if (opts.json) return print(cli, run);
          const n = typeof base.step === 'number' ? base.step : Number(String(base.step).split('/').pop());
          const s = run.steps[n - 1]!;
          cli.io.out(`Step ${s.number} “${s.title}”: ${stateLabel(s.state)}${s.reason ? ` (${s.reason})` : ''}\n${summary(run)}\n`);
        });
      });
  act('start', 'start a step', false);
  act('done', 'complete a step', false);
  act('skip', 'skip a step (a reason is required)', true);
  act('fail', 'mark a step failed (a reason is required)', true);
  act('block', 'mark a step blocked', false);
  act('reset', 'put a step back to pending', false);

  step
    .command('note')
    .description('add a note to a step')
    .argument('<release>', 'release id')
    .argument('<step>', 'step number or id')
    .argument('<text>', 'the note')
    .action(async (release: string, stepText: string, text: string) => {
      await cli.withCore(async (core) => {
        await cli.call(core, 'step.note', { release, step: stepArg(stepText), text });
        cli.io.out('Noted.\n');
      });
    });

  program
    .command('rollback')
    .description('roll a release back with its runbook’s Rollback section')
    .command('start')
    .description('record the decision to roll back and start the time-to-restore clock')
    .argument('<release>', 'release id')
    .requiredOption('--reason <text>', 'why roll back')
    .option('--run <id>', 'which runbook, when several have a rollback plan')
    .option('--json', 'print JSON for scripts')
    .action(async (release: string, opts: { reason: string; run?: string; json?: boolean }) => {
      await cli.withCore(async (core) => {
        const run = await cli.call(core, 'rollback.start', { release, reason: opts.reason, ...(opts.run ? { run: opts.run } : {}) });
        if (opts.json) return print(cli, run);
        cli.io.out(`Rollback started${run.rollback.target ? `: target ${formatDuration(run.rollback.target)}` : ''}; steps ${run.rollback.steps.join(', ')}\n`);
      });
    });
};
