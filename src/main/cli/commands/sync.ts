// `warroom sync …`: set up the shared folder, run a pass, see the status, admit and revoke
// devices (with who admitted each and why one was revoked), and repair another device's folder.
import type { Command } from 'commander';
import type { InputOf, ResultOf } from '../../../shared/api/contract.ts';
import type { RepairPlan, RepairResult, SyncStatus } from '../../../shared/sync/status.ts';
import { describeAdmitter, describeProblem, describeRanges, describeCompaction } from '../../../shared/sync/status.ts';
import type { Core } from '../../core/core.ts';
import { CliExit, type CliContext, type CommandModule } from '../context.ts';
import { table } from '../table.ts';

const STATE_WORDS: Record<SyncStatus['state'], string> = {
  not_configured: 'not set up',
  in_step: 'in step',
  syncing: 'syncing',
  offline: 'offline (folder unavailable)',
  problem: 'problem',
};

export function formatStatus(s: SyncStatus): string {
  const lines = [
    `Sync: ${STATE_WORDS[s.state]}`,
    `Folder: ${s.folder ?? '—'}${s.workspaceId ? ` (war room ${s.workspaceId})` : ''}`,
    `This device: ${s.device.id}, fingerprint ${s.device.fingerprint}${s.device.admission === 'waiting' ? ' — WAITING FOR ADMISSION: ask a coordinator to compare this fingerprint and admit it' : ''}`,
    `Last successful sync: ${s.lastSyncAt ?? 'never'}; polling every ${s.pollMs} ms${s.watching ? ' plus file notifications' : ''}`,
    `Unpublished local events: ${s.unpublished}`,
  ];
  if (s.compaction) lines.push(`Compaction: ${describeCompaction(s.compaction)}`);
  if (s.peers.length > 0) {
    lines.push('', devicesTable(s));
  }
  if (s.problems.length > 0) {
    lines.push('', `Problems (${s.problems.length}):`);
    for (const p of s.problems) lines.push(`  [${p.severity}] ${p.code}: ${describeProblem(p)}`, `      → ${p.action}`);
  }
  return `${lines.join('\n')}\n`;
}

function devicesTable(s: SyncStatus): string {
  return table(
    ['device', 'person', 'fingerprint', 'admission', 'admitted by', 'revoked because', 'last seen', 'applied', 'published'],
    s.peers.map((p) => [
      p.id,
      p.person ?? '—',
      p.fingerprint ?? '—',
      p.admission,
      describeAdmitter(s, p.admittedBy) ?? '—',
      p.revokedReason ?? '—',
      p.lastSeen ?? '—',
      String(p.eventsApplied),
      p.published === null ? '—' : String(p.published),
    ]),
  );
}

export function formatRepairPlan(plan: RepairPlan): string {
  const who = `device ${plan.device}${plan.person ? ` (${plan.person})` : ''}`;
  if (plan.missing.length === 0) {
    return `Nothing to repair: every event of ${who} this database holds (seq 1–${plan.held}) is in a valid segment in the shared folder.\n`;
  }
  const lines = [
    `Repair of ${who}: this database holds seq 1–${plan.held}; its log folder lacks seq ${describeRanges(plan.missing)} (${plan.events} events).`,
    `Files to write (${plan.files.length}), byte-identical to what the device signed:`,
    ...plan.files.map((f) => `  ${f.path}  seq ${describeRanges([f])}, ${f.events} events`),
    'Nothing existing is overwritten or deleted.',
  ];
  return `${lines.join('\n')}\n`;
}

function formatRepairResult(result: RepairResult): string {
  const lines = [`Wrote ${result.written.length} file(s) with ${result.events} event(s) of device ${result.device}.`, ...result.written.map((f) => `  ${f}`)];
  if (result.existed.length > 0) lines.push(`Left alone (a file of that name exists; check it): ${result.existed.join(', ')}`);
  if (result.after.missing.length > 0) lines.push(`Still missing: seq ${describeRanges(result.after.missing)}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * Calls one sync method; a refusal prints its message and code: reason, and with --json also
 * `{error: {code, message, field, reason}}` on stdout, so scripts branch on the reason.
 */
async function callSync<M extends 'sync.setup' | 'sync.repairPlan' | 'sync.repair'>(cli: CliContext, core: Core, method: M, input: InputOf<M>, json: boolean): Promise<ResultOf<M>> {
  const result = await core.dispatch(method, input);
  if (result.ok) return result.value as ResultOf<M>;
  const { code, message, reason } = result.error;
  if (json) cli.io.out(`${JSON.stringify({ error: result.error }, null, 2)}\n`);
  throw new CliExit(`${message} (${[code, reason].filter(Boolean).join(': ')})`, 1);
}

export const syncCommands: CommandModule = (program: Command, cli: CliContext) => {
  const sync = program
    .command('sync')
    .description('shared-folder sync: `sync --once` runs one pass; see the subcommands')
    .option('--once', 'run one sync pass (publish, pull, receipts) and print the status')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { once?: boolean; json?: boolean }) => {
      if (!opts.once) {
        cli.io.out(sync.helpInformation());
        return;
      }
      await passAndPrint(cli, opts.json === true, true);
    });
  // Commander gives `--json` after a subcommand to `sync` itself, which declares it too.
  const json = (opts: { json?: boolean }) => opts.json === true || sync.opts<{ json?: boolean }>().json === true;

  sync
    .command('status')
    .description('folder, state, last sync, peer devices and problems (runs one pass to look)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => passAndPrint(cli, json(opts), false));

  sync
    .command('init')
    .description('use DIR as the shared folder: initialise it if empty, join it if it holds a war room')
    .argument('<dir>', 'the shared folder (network share or a Dropbox/OneDrive/Syncthing folder)')
    .option('--poll-ms <ms>', 'how often to look for changes (default 2000)')
    .option('--json', 'print the status, or a refusal with its reason, as JSON')
    .action(async (dir: string, opts: { pollMs?: string; json?: boolean }) => {
      const pollMs = opts.pollMs === undefined ? undefined : Number(opts.pollMs);
      if (pollMs !== undefined && (!Number.isInteger(pollMs) || pollMs < 50)) throw new CliExit('--poll-ms must be a whole number of at least 50.', 2);
      await cli.withCore(
        async (core) => {
          const status = await callSync(cli, core, 'sync.setup', { folder: dir, ...(pollMs ? { pollMs } : {}) }, json(opts));
          cli.io.out(json(opts) ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
        },
        { requireProfile: false },
      );
    });

  sync
    .command('devices')
    .description('every device: id, person, fingerprint, admitted or waiting, last seen, events applied')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      await cli.withCore(
        async (core) => {
          const status = await cli.call(core, 'sync.now', {});
          if (json(opts)) cli.io.out(`${JSON.stringify({ self: status.device, peers: status.peers }, null, 2)}\n`);
          else cli.io.out(`This device: ${status.device.id} (${status.device.fingerprint}, ${status.device.admission ?? 'no folder'})\n${status.peers.length ? devicesTable(status) : 'No other devices yet.'}\n`);
        },
        { requireProfile: false },
      );
    });

  sync
    .command('admit')
    .description('admit a device after comparing the fingerprint its screen shows')
    .argument('<device-id>', 'the device to admit')
    .action(async (device: string) => {
      await cli.withCore(async (core) => {
        await cli.call(core, 'sync.now', {});
        const status = await cli.call(core, 'sync.admit', { device });
        const peer = status.peers.find((p) => p.id === device);
        await cli.call(core, 'sync.now', {});
        cli.io.out(`Admitted ${device}${peer?.person ? ` (${peer.person})` : ''}, fingerprint ${peer?.fingerprint ?? '?'}. Its events fold from now on.\n`);
      });
    });

  sync
    .command('revoke')
    .description('revoke a device: its later events are kept but not folded')
    .argument('<device-id>', 'the device to revoke')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .action(async (device: string, opts: { reason: string }) => {
      await cli.withCore(async (core) => {
        await cli.call(core, 'sync.now', {});
        await cli.call(core, 'sync.revoke', { device, reason: opts.reason });
        await cli.call(core, 'sync.now', {});
        cli.io.out(`Revoked ${device}: ${opts.reason}\n`);
      });
    });

  sync
    .command('repair')
    .description("re-publish another device's lost segments that this database holds (prints the plan; writes only with --yes)")
    .argument('<device-id>', 'the device whose log folder lost segments (restored from an old backup)')
    .option('--yes', 'write the planned files')
    .option('--json', 'print the plan (or the result) as JSON')
    .action(async (device: string, opts: { yes?: boolean; json?: boolean }) => {
      await cli.withCore(
        async (core) => {
          const plan = await callSync(cli, core, 'sync.repairPlan', { device }, json(opts));
          if (!opts.yes || plan.missing.length === 0) {
            cli.io.out(json(opts) ? `${JSON.stringify(plan, null, 2)}\n` : formatRepairPlan(plan));
            if (!json(opts) && plan.missing.length > 0) cli.io.out('Run again with --yes to write them.\n');
            return;
          }
          const result = await callSync(cli, core, 'sync.repair', { device, confirm: true }, json(opts));
          cli.io.out(json(opts) ? `${JSON.stringify(result, null, 2)}\n` : `${formatRepairPlan(plan)}${formatRepairResult(result)}`);
        },
        { requireProfile: false },
      );
    });
};

async function passAndPrint(cli: CliContext, json: boolean, failOnProblem: boolean): Promise<void> {
  await cli.withCore(
    async (core) => {
      const status = await cli.call(core, 'sync.now', {});
      cli.io.out(json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
      // Scripts: exit non-zero when the pass could not do its job.
      if (failOnProblem && (status.state === 'offline' || status.state === 'problem')) throw new CliExit(`sync: ${STATE_WORDS[status.state]}`, 3);
    },
    { requireProfile: false },
  );
}
