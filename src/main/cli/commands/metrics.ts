// `warroom metrics source|panel|rule|dashboard|pull|rules|record|feed` and `warroom stabilize …`: live
// post-deployment metrics from the command line — configure sources, panels and alert rules, run
// one refresh for scripts, explain rule states, record readings, append to a file feed from a
// pipeline, and run the stabilization session. Tables for people, --json for scripts.
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { MetricsViewData, RuleStatus, SourceSummary } from '../../../shared/api/metrics.ts';
import { detectFeedFormat, formatFeedLine, parseFeedTime, parseLabelText, type FeedFormat } from '../../../shared/metrics/feed.ts';
import { BASELINE_MODES, FEED_FORMATS, type BaselineMode, type RuleInput, type SourceConfig } from '../../../shared/metrics/model.ts';
import { parsePromValue } from '../../../shared/metrics/prometheus.ts';
import { parseDuration } from '../../../shared/runbook-format/attributes.ts';
import type { Core } from '../../core/core.ts';
import { slugify } from '../../core/metrics/stabilization.ts';
import { CliExit, type CliContext, type CommandModule } from '../context.ts';
import { minutes, table } from '../table.ts';

const print = (cli: CliContext, value: unknown) => cli.io.out(`${JSON.stringify(value, null, 2)}\n`);
const json = { flags: '--json', description: 'print JSON for scripts' } as const;

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.trim().toLowerCase().replace(/-/g, '_');
  if (!(allowed as readonly string[]).includes(v)) throw new CliExit(`${what} must be one of ${allowed.join(', ')}, not "${value}".`, 2);
  return v as T;
}

function wholeNumber(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new CliExit(`${what} is a whole number, not "${text}".`, 2);
  return n;
}

function seconds(text: string, what: string): number {
  const s = parseDuration(text);
  if (s === undefined || s === null) throw new CliExit(`${what} "${text}" is not a duration (write e.g. 30s, 5m or 1h; a bare number is minutes).`, 2);
  return s;
}

/** Where a source reads from, in a few words. */
function whereText(config: SourceConfig): string {
  if (config.kind === 'prometheus') return config.url;
  if (config.kind === 'file') return `${config.path}${config.format ? ` (${config.format})` : ''}`;
  return 'readings entered by hand';
}

function sourceRows(list: SourceSummary[]): string {
  return table(
    ['NAME', 'KIND', 'WHERE', 'AUTH', 'LAST REQUEST'],
    list.map((s) => [s.name, s.kind, whereText(s.config), s.auth, s.health ? `${s.health.ok ? 'ok' : 'FAILED'} ${s.health.at}: ${s.health.message}` : '—']),
    80,
  );
}

function ruleRows(rules: RuleStatus[]): string {
  return table(
    ['RULE', 'STATE', 'SINCE', 'DETAIL', 'CONDITION', 'QUERY', 'ANSWERS'],
    rules.map((r) => [r.rule.id, r.state.replace('_', ' ').toUpperCase(), r.since ?? '—', r.detail, r.evidence.condition, r.rule.query, r.criteria.map((c) => c.id).join(', ') || '—']),
    80,
  );
}

function stabilizationText(view: MetricsViewData): string {
  const s = view.stabilization;
  if (!s) return `Release ${view.release.id} has no stabilization session (warroom stabilize ${view.release.id} --hours 24).\n`;
  const lines = [
    `${view.release.name} ${view.release.version} (${view.release.id}) — ${view.release.status}`,
    s.closed ? `Stabilization closed ${s.closed.at} by ${s.closed.by.name}${s.closed.note ? `: ${s.closed.note}` : ''}` : `Stabilization ends ${s.endsAt} (${minutes(s.remainingSeconds)} left)`,
    '',
    table(['CRITERION', 'TEXT', 'DONE', 'BY'], s.criteria.map((c) => [c.id, c.text, c.done ? 'yes' : 'no', c.by ? `${c.by.name} ${c.at}${c.note ? `: ${c.note}` : ''}` : '—']), 80),
  ];
  for (const h of s.handoffs) lines.push(`hand-off ${h.at}: ${h.from} → ${h.to}: ${h.notes}${h.watch ? ` (watch: ${h.watch})` : ''}`);
  if (s.blockers.length) lines.push(`cannot close yet:\n${s.blockers.map((b) => `  - ${b}`).join('\n')}`);
  return `${lines.join('\n')}\n`;
}

/** A fresh id for a panel or rule of a release: --id, else from the title, unique among `taken`. */
function newId(explicit: string | undefined, title: string, taken: string[]): string {
  return explicit ?? slugify(title, new Set(taken));
}

export const metricsCommands: CommandModule = (program: Command, cli: CliContext) => {
  const metrics = program.command('metrics').description('live metrics of a release: sources, panels, alert rules, refreshes, readings and file feeds');
  const withView = (release: string, fn: (core: Core, view: MetricsViewData) => Promise<void>) =>
    cli.withCore(async (core) => fn(core, await cli.call(core, 'metrics.view', { release })));

  // ---- sources ------------------------------------------------------------------------------
  const source = metrics.command('source').description('metric sources of the workspace (Prometheus, file feeds, manual readings)');
  source
    .command('add')
    .description('add or change a source; secrets come from an environment variable here (the desktop app can keep them in the keychain)')
    .argument('<name>', 'source name (lower-case letters, digits, dot, dash, underscore)')
    .option('--prometheus <url>', 'a Prometheus base URL, such as http://127.0.0.1:9090')
    .option('--token-env <var>', 'bearer token from this environment variable (of the process running the core)')
    .option('--user <name>', 'basic auth user name (with --password-env)')
    .option('--password-env <var>', 'basic auth password from this environment variable')
    .option('--timeout-ms <n>', 'per request (default 10000)')
    .option('--file <path>', 'a file feed: absolute, or relative to the shared sync folder')
    .option('--format <format>', `file feed format: ${FEED_FORMATS.join(' or ')} (default: by extension or first line)`)
    .option('--manual', 'readings recorded by hand (warroom metrics record)')
    .option(json.flags, json.description)
    .action(async (name: string, o: { prometheus?: string; tokenEnv?: string; user?: string; passwordEnv?: string; timeoutMs?: string; file?: string; format?: string; manual?: boolean; json?: boolean }) => {
      const kinds = [o.prometheus !== undefined, o.file !== undefined, o.manual === true].filter(Boolean).length;
      if (kinds !== 1) throw new CliExit('Give exactly one of --prometheus URL, --file PATH or --manual.', 2);
      let config: SourceConfig;
      if (o.prometheus !== undefined) {
        if (o.tokenEnv && (o.user || o.passwordEnv)) throw new CliExit('Use either --token-env or --user with --password-env, not both.', 2);
        if (Boolean(o.user) !== Boolean(o.passwordEnv)) throw new CliExit('Basic auth needs both --user and --password-env.', 2);
        const auth = o.tokenEnv
          ? { type: 'bearer' as const, token: { from: 'env' as const, env: o.tokenEnv } }
          : o.user && o.passwordEnv
            ? { type: 'basic' as const, username: o.user, password: { from: 'env' as const, env: o.passwordEnv } }
            : undefined;
        config = { kind: 'prometheus', url: o.prometheus, timeoutMs: o.timeoutMs === undefined ? 10_000 : wholeNumber(o.timeoutMs, '--timeout-ms'), ...(auth ? { auth } : {}) };
      } else if (o.file !== undefined) {
        config = { kind: 'file', path: o.file, ...(o.format ? { format: oneOf(o.format, FEED_FORMATS, '--format') } : {}) };
      } else config = { kind: 'manual' };
      await cli.withCore(async (core) => {
        const saved = await cli.call(core, 'metrics.source.save', { name, config });
        if (o.json) return print(cli, saved);
        cli.io.out(`Saved source ${saved.name}: ${saved.kind} ${whereText(saved.config)}, auth ${saved.auth}.\n`);
      });
    });

  source
    .command('list')
    .description('every source, where its secret comes from and how this device last reached it')
    .option(json.flags, json.description)
    .action(async (o: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const list = await cli.call(core, 'metrics.source.list', {});
        if (o.json) return print(cli, list);
        cli.io.out(list.length ? sourceRows(list) : 'No metric sources yet (warroom metrics source add NAME --prometheus URL).\n');
      });
    });

  source
    .command('remove')
    .description('remove a source (panels using it show the error until changed)')
    .argument('<name>', 'source name')
    .option(json.flags, json.description)
    .action(async (name: string, o: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const removed = await cli.call(core, 'metrics.source.remove', { name });
        if (o.json) return print(cli, removed);
        cli.io.out(`Removed source ${name}.\n`);
      });
    });

  source
    .command('test')
    .description('ask a source whether it answers (exit code 1 when it does not)')
    .argument('<name>', 'source name')
    .option(json.flags, json.description)
    .action(async (name: string, o: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const result = await cli.call(core, 'metrics.source.test', { name });
        if (o.json) print(cli, result);
        else if (result.ok) cli.io.out(`ok (${result.latencyMs} ms): ${result.message}\n`);
        if (!result.ok) throw new CliExit(`Source ${name} does not answer (${result.latencyMs} ms): ${result.message}`);
      });
    });

  // ---- panels and rules ---------------------------------------------------------------------
  const panels = metrics.command('panel').description('panels of a release');
  panels
    .command('add')
    .description('add a panel (a chart of one query) to a release')
    .argument('<release>', 'release id (or a unique start of it)')
    .requiredOption('--source <name>', 'the metric source')
    .requiredOption('--query <promql>', 'PromQL (Prometheus) or the metric name (file feed, manual)')
    .option('--title <title>', 'panel title (default: the query)')
    .option('--unit <unit>', 'unit shown on the axis, such as % or ms')
    .option('--id <id>', 'panel id (default: from the title)')
    .option('--threshold <value>', 'draw a threshold line at this value')
    .option('--baseline <mode>', `shade a baseline band: ${BASELINE_MODES.join(' or ')}`)
    .option(json.flags, json.description)
    .action(async (release: string, o: { source: string; query: string; title?: string; unit?: string; id?: string; threshold?: string; baseline?: string; json?: boolean }) => {
      const title = (o.title ?? o.query).slice(0, 200);
      await withView(release, async (core, view) => {
        const panel = {
          id: newId(o.id, title, view.panels.map((p) => p.doc.id)),
          title,
          source: o.source,
          queries: [{ query: o.query }],
          ...(o.unit !== undefined ? { unit: o.unit } : {}),
          ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
          ...(o.baseline !== undefined ? { baseline: oneOf(o.baseline, BASELINE_MODES, '--baseline') } : {}),
        };
        const saved = await cli.call(core, 'metrics.panel.save', { release: view.release.id, panel });
        if (o.json) return print(cli, saved);
        cli.io.out(`Saved panel ${saved.doc.id} “${saved.doc.title}” on ${view.release.id} (source ${saved.doc.source}).\n`);
      });
    });

  const rules = metrics.command('rule').description('alert rules of a release');
  rules
    .command('add')
    .description('add an alert rule: fires when the condition holds for the --for window, resolves when it clears as long')
    .argument('<release>', 'release id (or a unique start of it)')
    .requiredOption('--source <name>', 'the metric source')
    .requiredOption('--query <promql>', 'PromQL (Prometheus) or the metric name (file feed, manual)')
    .option('--above <value>', 'fire when the value is above this (with --baseline: this many times the baseline)')
    .option('--below <value>', 'fire when the value is below this (with --baseline: this many times the baseline)')
    .option('--absent', 'fire when there is no data')
    .requiredOption('--for <duration>', 'how long the condition must hold: 30s, 5m, 1h')
    .option('--title <title>', 'rule title (default: the query and condition)')
    .option('--id <id>', 'rule id (default: from the title)')
    .option('--baseline <mode>', `compare with a baseline window: ${BASELINE_MODES.join(' or ')} (the value is a ratio)`)
    .option('--ratio', 'say that --above/--below is a ratio of the baseline (implied by --baseline)')
    .option('--no-rollback', 'do not offer the runbook rollback when it fires')
    .option(json.flags, json.description)
    .action(
      async (
        release: string,
        o: { source: string; query: string; above?: string; below?: string; absent?: boolean; for: string; title?: string; id?: string; baseline?: string; ratio?: boolean; rollback: boolean; json?: boolean },
      ) => {
        const given = [o.above !== undefined, o.below !== undefined, o.absent === true].filter(Boolean).length;
        if (given !== 1) throw new CliExit('Give exactly one of --above VALUE, --below VALUE or --absent.', 2);
        if (o.ratio && !o.baseline) throw new CliExit('--ratio compares with a baseline: add --baseline before_deploy or week_before.', 2);
        if (o.absent && o.baseline) throw new CliExit('--absent takes no baseline.', 2);
        const baseline: BaselineMode | undefined = o.baseline === undefined ? undefined : oneOf(o.baseline, BASELINE_MODES, '--baseline');
        const forSeconds = seconds(o.for, '--for');
        const op = o.above !== undefined ? ('>' as const) : ('<' as const);
        const threshold = o.above ?? o.below;
        const condition = o.absent ? `no data for ${o.for}` : `${op} ${threshold}${baseline ? ' × baseline' : ''} for ${o.for}`;
        const title = (o.title ?? `${o.query} ${condition}`).slice(0, 200);
        await withView(release, async (core, view) => {
          const rule: RuleInput = {
            id: newId(o.id, o.title ?? o.query, view.rules.map((r) => r.rule.id)),
            title,
            source: o.source,
            query: o.query,
            kind: o.absent ? 'absent' : baseline ? 'baseline_ratio' : 'threshold',
            forSeconds,
            rollback: o.rollback,
            ...(o.absent ? {} : { op, threshold: threshold! }),
            ...(baseline ? { baseline } : {}),
          };
          const saved = await cli.call(core, 'metrics.rule.save', { release: view.release.id, rule: rule as never });
          if (o.json) return print(cli, saved);
          cli.io.out(`Saved rule ${saved.rule.id} “${saved.rule.title}” on ${view.release.id}: ${saved.evidence.condition}; now ${saved.state.replace('_', ' ')}.\n`);
        });
      },
    );

  for (const [group, what, method] of [
    [panels, 'panel', 'metrics.panel.remove'],
    [rules, 'rule', 'metrics.rule.remove'],
  ] as const) {
    group
      .command('remove')
      .description(`remove a ${what} from a release (stored samples stay for the post-mortem)`)
      .argument('<release>', 'release id (or a unique start of it)')
      .argument('<id>', `${what} id`)
      .action(async (release: string, id: string) => {
        await cli.withCore(async (core) => {
          const input = what === 'panel' ? { release, panel: id } : { release, rule: id };
          await cli.call(core, method, input as never);
          cli.io.out(`Removed ${what} ${id}.\n`);
        });
      });
  }

  // ---- dashboards ---------------------------------------------------------------------------
  const dashboard = metrics.command('dashboard').description('dashboard templates: a release’s panels and rules, saved and applied to other releases');
  dashboard
    .command('list')
    .description('saved dashboards')
    .option(json.flags, json.description)
    .action(async (o: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const list = await cli.call(core, 'metrics.dashboard.list', {});
        if (o.json) return print(cli, list);
        cli.io.out(list.length ? table(['ID', 'TITLE', 'PANELS', 'RULES', 'VERSIONS'], list.map((d) => [d.id, d.title, String(d.panels), String(d.rules), String(d.versions)])) : 'No dashboards saved yet.\n');
      });
    });
  dashboard
    .command('save')
    .description('save a release’s panels and rules as a dashboard (a new version when the id exists)')
    .argument('<release>', 'release id (or a unique start of it)')
    .requiredOption('--id <id>', 'dashboard id')
    .requiredOption('--title <title>', 'dashboard title')
    .action(async (release: string, o: { id: string; title: string }) => {
      await cli.withCore(async (core) => {
        const saved = await cli.call(core, 'metrics.dashboard.save', { release, id: o.id, title: o.title });
        cli.io.out(`Saved dashboard ${saved.id} version ${saved.version}.\n`);
      });
    });
  dashboard
    .command('apply')
    .description('copy a dashboard’s panels and rules onto a release (same ids are replaced)')
    .argument('<release>', 'release id (or a unique start of it)')
    .argument('<dashboard>', 'dashboard id')
    .action(async (release: string, id: string) => {
      await cli.withCore(async (core) => {
        const view = await cli.call(core, 'metrics.dashboard.apply', { release, dashboard: id });
        cli.io.out(`Applied ${id} to ${view.release.id}: ${view.panels.length} panel(s), ${view.rules.length} rule(s) now.\n`);
      });
    });

  // ---- refresh, states, readings ------------------------------------------------------------
  metrics
    .command('pull')
    .description('query every source of the release once, store the samples, evaluate the rules (alerts go on the timeline)')
    .argument('<release>', 'release id (or a unique start of it)')
    .option(json.flags, json.description)
    .action(async (release: string, o: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const report = await cli.call(core, 'metrics.refresh', { release });
        if (o.json) return print(cli, report);
        cli.io.out(`Refreshed ${report.release} at ${report.at}: ${report.panels.length} panel(s), ${report.rules.length} rule(s), ${report.alertsWritten} alert event(s) written.\n\n`);
        if (report.panels.length) {
          cli.io.out(table(['PANEL', 'STATE', 'SAMPLES', 'MESSAGE'], report.panels.map((p) => [p.panel, p.state.replace('_', ' '), String(p.samples), p.message ?? '']), 100));
        }
        if (report.rules.length) cli.io.out(`\n${ruleRows(report.rules)}`);
      });
    });

  metrics
    .command('rules')
    .description('each alert rule’s state now, with what decided it: detail, condition, query and the go/no-go criteria it answers')
    .argument('<release>', 'release id (or a unique start of it)')
    .option(json.flags, json.description)
    .action(async (release: string, o: { json?: boolean }) => {
      await withView(release, async (_core, view) => {
        if (o.json) return print(cli, view.rules);
        cli.io.out(view.rules.length ? ruleRows(view.rules) : `Release ${view.release.id} has no alert rules (warroom metrics rule add ${view.release.id} …).\n`);
      });
    });

  metrics
    .command('record')
    .description('record a reading by hand (a business KPI from another tool): a sample and a timeline event')
    .argument('<release>', 'release id (or a unique start of it)')
    .requiredOption('--metric <name>', 'what was measured')
    .requiredOption('--value <v>', 'the reading (a number, NaN, +Inf or -Inf)')
    .option('--unit <unit>', 'unit, such as %')
    .option('--note <text>', 'where it comes from')
    .option('--at <time>', 'when it was measured (ISO 8601 or epoch seconds; default now)')
    .option(json.flags, json.description)
    .action(async (release: string, o: { metric: string; value: string; unit?: string; note?: string; at?: string; json?: boolean }) => {
      let value: number;
      let at: number | undefined;
      try {
        value = parsePromValue(o.value);
        at = o.at === undefined ? undefined : parseFeedTime(o.at);
      } catch (error) {
        throw new CliExit((error as Error).message, 2);
      }
      const spelled = Number.isNaN(value) ? ('NaN' as const) : value === Infinity ? ('Infinity' as const) : value === -Infinity ? ('-Infinity' as const) : value;
      await cli.withCore(async (core) => {
        const input = { release, metric: o.metric, value: spelled, ...(at !== undefined ? { at } : {}), ...(o.unit ? { unit: o.unit } : {}), ...(o.note ? { note: o.note } : {}) };
        const result = await cli.call(core, 'metrics.record', input);
        if (o.json) return print(cli, result);
        cli.io.out(`Recorded ${o.metric} = ${o.value}${o.unit ? ` ${o.unit}` : ''} (event ${result.event}).\n`);
      });
    });

  metrics
    .command('feed')
    .description('append readings from stdin to a file feed, one per line: "VALUE" (now) or "TIMESTAMP VALUE"; whole lines, appended, so readers never see half a line')
    .argument('<file>', 'the feed file (created when missing)')
    .requiredOption('--metric <name>', 'the metric name written on each line')
    .option('--labels <k=v,...>', 'labels written on each line, such as service=checkout,track=canary')
    .option('--format <format>', `${FEED_FORMATS.join(' or ')} (default: by extension, else the first line, else ndjson)`)
    .action(async (file: string, o: { metric: string; labels?: string; format?: string }) => {
      let labels: Record<string, string>;
      try {
        labels = parseLabelText((o.labels ?? '').replace(/,/g, ';'));
      } catch (error) {
        throw new CliExit(`--labels: ${(error as Error).message}`, 2);
      }
      const format = o.format ? oneOf(o.format, FEED_FORMATS, '--format') : feedFormatOf(file);
      const written = await appendFeed(cli, file, format, o.metric, labels);
      const summary = `Appended ${written.lines} reading(s) to ${file}`;
      if (written.skipped) throw new CliExit(`${summary}; skipped ${written.skipped} line(s) that were not readings.`);
      cli.io.err(`${summary}.\n`);
    });

  stabilizeCommands(program, cli);
};

/** The format an existing feed uses (by name, else its first line); a new one by name, else NDJSON. */
function feedFormatOf(file: string): FeedFormat {
  let first = '';
  try {
    if (statSync(file).size > 0) {
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(4096);
      const n = readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      first = buf.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
    }
  } catch {
    // a new file
  }
  return first || /\.csv$/i.test(file) ? detectFeedFormat(file, first) : 'ndjson';
}

/** Reads stdin line by line; each reading is one write of one whole line to a file opened for appending. */
async function appendFeed(cli: CliContext, file: string, format: FeedFormat, metric: string, labels: Record<string, string>) {
  let fd: number;
  try {
    fd = openSync(file, 'a', 0o644);
  } catch (error) {
    throw new CliExit(`Cannot open ${file} for appending: ${(error as Error).message}`);
  }
  let lines = 0;
  let skipped = 0;
  let number = 0;
  try {
    for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      number += 1;
      const parts = raw.trim().split(/\s+/).filter(Boolean);
      if (parts.length === 0) continue;
      try {
        if (parts.length > 2) throw new Error('expected "VALUE" or "TIMESTAMP VALUE"');
        const at = parts.length === 2 ? parseFeedTime(parts[0]) : Date.now();
        const value = parsePromValue(parts.at(-1)!);
        writeSync(fd, `${formatFeedLine({ at, metric, value, labels }, format)}\n`);
        lines += 1;
      } catch (error) {
        skipped += 1;
        cli.io.err(`stdin line ${number}: ${(error as Error).message}; skipped.\n`);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { lines, skipped };
}

function stabilizeCommands(program: Command, cli: CliContext): void {
  // `--json` after a subcommand may be taken by the parent's own --json: either one counts.
  const show = (view: MetricsViewData, asJson?: boolean) => (asJson || stabilize.opts<{ json?: boolean }>().json ? print(cli, view) : cli.io.out(stabilizationText(view)));
  const stabilize = program
    .command('stabilize')
    .description('the stabilization session after deployment: `stabilize RELEASE --hours 24` starts it; show, check, handoff and close follow')
    .argument('[release]', 'release id to start stabilizing (a deploying release moves to stabilizing)')
    .option('--hours <n>', 'length of the period: 24, 72 or any 1–336')
    .option('--criterion <text...>', 'exit criteria (default: the four standard ones)')
    .option(json.flags, json.description)
    .action(async (release: string | undefined, o: { hours?: string; criterion?: string[]; json?: boolean }) => {
      if (!release) {
        cli.io.out(stabilize.helpInformation());
        return;
      }
      if (o.hours === undefined) throw new CliExit('Say how long: --hours 24, --hours 72 or another number of hours.', 2);
      const hours = Number(o.hours);
      if (!Number.isFinite(hours)) throw new CliExit(`--hours is a number, not "${o.hours}".`, 2);
      await cli.withCore(async (core) => {
        const input = { release, durationSeconds: Math.round(hours * 3600), ...(o.criterion ? { criteria: o.criterion } : {}) };
        show(await cli.call(core, 'stabilization.start', input), o.json);
      });
    });

  stabilize
    .command('show')
    .description('countdown, exit criteria, hand-offs and what blocks closing')
    .argument('<release>', 'release id (or a unique start of it)')
    .option(json.flags, json.description)
    .action(async (release: string, o: { json?: boolean }) => cli.withCore(async (core) => show(await cli.call(core, 'metrics.view', { release }), o.json)));

  stabilize
    .command('check')
    .description('tick an exit criterion (--undo unticks it)')
    .argument('<release>', 'release id (or a unique start of it)')
    .argument('<criterion>', 'criterion id, as `stabilize show` lists them')
    .option('--undo', 'untick it')
    .option('--note <text>', 'why, or the evidence')
    .option(json.flags, json.description)
    .action(async (release: string, criterion: string, o: { undo?: boolean; note?: string; json?: boolean }) =>
      cli.withCore(async (core) => show(await cli.call(core, 'stabilization.check', { release, criterion, done: !o.undo, ...(o.note ? { note: o.note } : {}) }), o.json)),
    );

  stabilize
    .command('handoff')
    .description('record a shift hand-off: who hands over to whom, notes and what to watch')
    .argument('<release>', 'release id (or a unique start of it)')
    .requiredOption('--from <name>', 'who hands over')
    .requiredOption('--to <name>', 'who takes over')
    .requiredOption('--notes <text>', 'what the next shift needs to know')
    .option('--watch <text>', 'what to keep an eye on')
    .option(json.flags, json.description)
    .action(async (release: string, o: { from: string; to: string; notes: string; watch?: string; json?: boolean }) =>
      cli.withCore(async (core) => show(await cli.call(core, 'stabilization.handoff', { release, from: o.from, to: o.to, notes: o.notes, ...(o.watch ? { watch: o.watch } : {}) }), o.json)),
    );

  stabilize
    .command('close')
    .description('close stabilization (every exit criterion must be ticked); the release moves to closed')
    .argument('<release>', 'release id (or a unique start of it)')
    .option('--note <text>', 'a closing note')
    .option(json.flags, json.description)
    .action(async (release: string, o: { note?: string; json?: boolean }) =>
      cli.withCore(async (core) => show(await cli.call(core, 'stabilization.close', { release, ...(o.note ? { note: o.note } : {}) }), o.json)),
    );
}
