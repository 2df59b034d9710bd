// `warroom release list | create | show | move | note`: releases from the command line.
import type { ReleaseDetail, ReleaseSummary } from '../../../shared/api/releases.ts';
import type { TimelinePage } from '../../../shared/api/store.ts';
import { describeEvent } from '../../../shared/domain/describe.ts';
import { CHANGE_CLASSES, RELEASE_STATUSES, RELEASE_TYPES, STRATEGIES, describeWindow, formatInZone, type ReleaseStatus } from '../../../shared/domain/releases.ts';
import { CliExit, type CliContext, type CommandModule } from '../context.ts';
import { minutes, table } from '../table.ts';

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const print = (cli: CliContext, value: unknown) => cli.io.out(`${JSON.stringify(value, null, 2)}\n`);

function windowCell(r: ReleaseSummary): string {
  return r.window ? `${formatInZone(r.window.start, localZone())} (${r.window.zone})` : '—';
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new CliExit(`${flag} must be one of ${allowed.join(', ')}, not "${value}".`, 2);
  return value as T;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function showRelease(cli: CliContext, r: ReleaseDetail, timeline: TimelinePage | null): void {
  const facts: [string, string][] = [
    ['id', r.id],
    ['name', r.name],
    ['version', r.version],
    ['status', `${r.statusLabel}${r.allowed.length ? ` (next: ${r.allowed.join(', ')})` : ''}`],
    ['type', `${r.type}, ${r.changeClass} change`],
    ['ticket', r.ticket ?? '—'],
    ['services', r.services.join(', ') || '—'],
    ['environment', r.environment ?? '—'],
    ['strategy', r.strategy ?? '—'],
    ['window', r.window ? describeWindow(r.window, localZone()) : '—'],
    ['owner', r.ownerName ?? '—'],
  ];
  if (r.conflicts.length) facts.push(['conflicts', `${r.conflicts.join(', ')} (edited concurrently; pick a value)`]);
  const width = Math.max(...facts.map(([k]) => k.length));
  cli.io.out(facts.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
  if (r.scope.trim()) cli.io.out(`\nscope:\n${r.scope.trim().replace(/^/gm, '  ')}\n`);
  cli.io.out('\n');
  if (r.runs.length === 0) cli.io.out('No runbooks attached (warroom runbook import FILE --release ID).\n');
  else {
    cli.io.out(
      table(
        ['RUNBOOK', 'TITLE', 'STATE', 'PROGRESS', 'LEFT', 'ROLLBACK'],
        r.runs.map((run) => [
          run.id,
          run.title,
          run.state.replace('_', ' '),
          `${run.progress.done + run.progress.skipped}/${run.progress.total} (${run.progress.percent}%)${run.progress.failed ? `, ${run.progress.failed} failed` : ''}`,
          run.progress.eta ? minutes(run.progress.remaining) : '—',
          !run.rollback.available
            ? 'no plan'
            : run.rollback.recorded
              ? `${minutes(run.rollback.recorded.seconds)}${run.rollback.recorded.target ? ` of ${minutes(run.rollback.recorded.target)}` : ''}${run.rollback.recorded.missed ? ' MISSED' : ''}`
              : run.rollback.started
                ? `running ${minutes(run.rollback.elapsed)}`
                : `target ${minutes(run.rollback.target)}`,
        ]),
      ),
    );
  }
  if (timeline && timeline.items.length > 0) {
    cli.io.out(`\nlatest of ${timeline.total ?? timeline.items.length} on the timeline:\n`);
    for (const item of [...timeline.items].reverse()) cli.io.out(`  ${item.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}  ${describeEvent(item)}\n`);
  }
}

export const releaseCommands: CommandModule = (program, cli) => {
  const release = program.command('release').description('plan releases and move them through their lifecycle');

  release
    .command('list')
    .description('releases sorted by window (no window last)')
    .option('--status <status>', `only these statuses (comma-separated): ${RELEASE_STATUSES.join(', ')}`)
    .option('--type <type>', `only these types (comma-separated): ${RELEASE_TYPES.join(', ')}`)
    .option('--all', 'include archived releases')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { status?: string; type?: string; all?: boolean; json?: boolean }) => {
      await cli.withCore(async (core) => {
        const status = list(opts.status)?.map((s) => oneOf(s, RELEASE_STATUSES, '--status')!);
        const type = list(opts.type)?.map((t) => oneOf(t, RELEASE_TYPES, '--type')!);
        const releases = await cli.call(core, 'release.list', { ...(status ? { status } : {}), ...(type ? { type } : {}), includeArchived: opts.all === true });
        if (opts.json) return print(cli, releases);
        if (releases.length === 0) return cli.io.out('No releases (warroom release create --name NAME --version V).\n');
        cli.io.out(table(['ID', 'NAME', 'VERSION', 'TYPE', 'STATUS', 'WINDOW', 'OWNER'], releases.map((r) => [r.id, r.name, r.version, r.type, r.statusLabel, windowCell(r), r.ownerName ?? '—'])));
      });
    });

  release
    .command('create')
    .description('plan a release')
    .requiredOption('--name <name>', 'what people call it')
    .requiredOption('--version <version>', 'the version being released')
    .option('--type <type>', `${RELEASE_TYPES.join(', ')} (default minor)`)
    .option('--change-class <class>', `${CHANGE_CLASSES.join(', ')} (default normal; emergency for an emergency release)`)
    .option('--ticket <ref>', 'change ticket reference')
    .option('--strategy <strategy>', STRATEGIES.join(', '))
    .option('--services <list>', 'services it touches, comma-separated')
    .option('--environment <env>', 'environment it touches')
    .option('--owner <who>', 'owner: a person (name or id) or a team')
    .option('--scope <text>', 'what is in and out of the release')
    .option('--window-start <iso>', 'window start: 2026-11-24T22:00 (in --tz) or with an offset')
    .option('--window-end <iso>', 'window end')
    .option('--tz <zone>', `IANA zone of the window (default ${localZone()})`)
    .option('--json', 'print JSON for scripts')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const s = (key: string) => (typeof opts[key] === 'string' ? (opts[key] as string) : undefined);
      if ((s('windowStart') === undefined) !== (s('windowEnd') === undefined)) throw new CliExit('Give both --window-start and --window-end.', 2);
      if (s('tz') !== undefined && s('windowStart') === undefined) throw new CliExit('--tz is the zone of the window: give --window-start and --window-end too.', 2);
      await cli.withCore(async (core) => {
        const input = {
          name: s('name')!,
          version: s('version')!,
          ...(s('type') ? { type: oneOf(s('type'), RELEASE_TYPES, '--type') } : {}),
          ...(s('changeClass') ? { changeClass: oneOf(s('changeClass'), CHANGE_CLASSES, '--change-class') } : {}),
          ...(s('strategy') ? { strategy: oneOf(s('strategy'), STRATEGIES, '--strategy') } : {}),
          ...(s('ticket') ? { ticket: s('ticket') } : {}),
          ...(s('services') ? { services: list(s('services')) } : {}),
          ...(s('environment') ? { environment: s('environment') } : {}),
          ...(s('owner') ? { owner: s('owner') } : {}),
          ...(s('scope') ? { scope: s('scope') } : {}),
          ...(s('windowStart') ? { window: { start: s('windowStart')!, end: s('windowEnd')!, zone: s('tz') ?? localZone() } } : {}),
        };
        const r = await cli.call(core, 'release.create', input);
        if (opts.json) return print(cli, r);
        cli.io.out(`Planned ${r.id}: ${r.name} ${r.version} (${r.type}, ${r.changeClass} change)${r.window ? `, window ${describeWindow(r.window, localZone())}` : ''}\n`);
      });
    });

  release
    .command('show')
    .description('a release: facts, runbooks with progress, latest timeline')
    .argument('<id>', 'release id (or a unique start of it)')
    .option('--json', 'print JSON for scripts')
    .action(async (id: string, opts: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'release.get', { id });
        if (opts.json) return print(cli, r);
        const timeline = await cli.call(core, 'timeline.page', { release: r.id, limit: 10 });
        showRelease(cli, r, timeline);
      });
    });

  release
    .command('move')
    .alias('transition')
    .description('move a release to another status (planned, scheduled, go_no_go, deploying, stabilizing, closed, rolled_back, cancelled)')
    .argument('<id>', 'release id')
    .argument('<status>', RELEASE_STATUSES.join(', '))
    .option('--reason <text>', 'why (required for rolled_back and cancelled)')
    .option('--json', 'print JSON for scripts')
    .action(async (id: string, status: string, opts: { reason?: string; json?: boolean }) => {
      const to = oneOf(status.replace('-', '_').replace('go/no-go', 'go_no_go'), RELEASE_STATUSES, 'status') as ReleaseStatus;
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'release.transition', { id, to, ...(opts.reason ? { reason: opts.reason } : {}) });
        if (opts.json) return print(cli, r);
        cli.io.out(`${r.id} is now ${r.statusLabel}${r.allowed.length ? `; next: ${r.allowed.join(', ')}` : ''}\n`);
      });
    });

  release
    .command('note')
    .description('add a note to the release timeline')
    .argument('<id>', 'release id')
    .argument('<text>', 'the note')
    .action(async (id: string, text: string) => {
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'release.note', { id, text });
        cli.io.out(`Noted on ${r.id}.\n`);
      });
    });
};
