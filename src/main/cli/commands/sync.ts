// `warroom sync …`: set up the shared folder, run a pass, see the status, admit and revoke devices.
import type { Command } from 'commander';
import type { SyncStatus } from '../../../shared/sync/status.ts';
import { describeProblem } from '../../../shared/sync/status.ts';
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
    ['device', 'person', 'fingerprint', 'admission', 'last seen', 'applied', 'published'],
    s.peers.map((p) => [p.id, p.person ?? '—', p.fingerprint ?? '—', p.admission, p.lastSeen ?? '—', String(p.eventsApplied), p.published === null ? '—' : String(p.published)]),
  );
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

  sync
    .command('status')
    .description('folder, state, last sync, peer devices and problems (runs one pass to look)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => passAndPrint(cli, opts.json === true, false));

  sync
    .command('init')
    .description('use DIR as the shared folder: initialise it if empty, join it if it holds a war room')
    .argument('<dir>', 'the shared folder (network share or a Dropbox/OneDrive/Syncthing folder)')
    .option('--poll-ms <ms>', 'how often to look for changes (default 2000)')
    .action(async (dir: string, opts: { pollMs?: string }) => {
      const pollMs = opts.pollMs === undefined ? undefined : Number(opts.pollMs);
      if (pollMs !== undefined && (!Number.isInteger(pollMs) || pollMs < 50)) throw new CliExit('--poll-ms must be a whole number of at least 50.', 2);
      await cli.withCore(
        async (core) => {
          const status = await cli.call(core, 'sync.setup', { folder: dir, ...(pollMs ? { pollMs } : {}) });
          cli.io.out(formatStatus(status));
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
          if (opts.json) cli.io.out(`${JSON.stringify({ self: status.device, peers: status.peers }, null, 2)}\n`);
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
