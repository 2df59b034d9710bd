// `warroom init | verify | rebuild | backup | restore`: the local store from the command line.
import { ROLES } from '../../../shared/domain/people.ts';
import { restoreBackup } from '../../core/store/index.ts';
import { CliExit, type CommandModule } from '../context.ts';

export const storeCommands: CommandModule = (program, cli) => {
  program
    .command('init')
    .description('set up the person at this device (what the first-run screen does)')
    .requiredOption('--name <name>', 'your name as others will see it')
    .requiredOption('--role <role>', `your role: ${ROLES.join(', ')}`)
    .action(async (opts: { name: string; role: string }) => {
      await cli.withCore(
        async (core) => {
          const before = core.ctx.store.profile();
          const profile = await cli.call(core, 'profile.set', { name: opts.name, role: opts.role as (typeof ROLES)[number] });
          const device = core.ctx.store.device();
          const what = !before ? 'Profile created' : before.name === profile.name && before.role === profile.role ? 'Profile unchanged' : 'Profile updated';
          cli.io.out(`${what}: ${profile.name} (${profile.role}) on device ${device.id}, key fingerprint ${device.fingerprint}, data in ${core.ctx.dataDir}\n`);
        },
        { requireProfile: false },
      );
    });

  program
    .command('verify')
    .description('check every device chain: seqs without gaps, prev links, hashes and signatures')
    .option('--json', 'print the full report as JSON')
    .action(async (opts: { json?: boolean }) => {
      await cli.withCore(async (core) => {
        const report = await cli.call(core, 'audit.verify', {});
        if (opts.json) cli.io.out(`${JSON.stringify(report, null, 2)}\n`);
        // One line, and an exit code scripts can trust: 0 only when every chain holds.
        if (!report.ok) throw new CliExit(`verify: ${report.summary}`);
        if (!opts.json) cli.io.out(`verify: ${report.summary}\n`);
      });
    });

  program
    .command('rebuild')
    .description('drop every projection and fold it again from the event log')
    .action(async () => {
      await cli.withCore(async (core) => {
        const r = await cli.call(core, 'store.rebuild', {});
        const deferred = r.deferred > 0 ? ` (${r.deferred} from a newer version kept unfolded)` : '';
        const same = r.unchanged ? 'identical to before' : `changed (was ${r.previousDigest.slice(0, 16)})`;
        cli.io.out(`rebuild: ${r.events} events${deferred} into ${r.entities} entities in ${r.ms} ms; digest ${r.digest.slice(0, 16)}, ${same}\n`);
      });
    });

  program
    .command('backup')
    .description('write a consistent copy of the database (safe while the app runs)')
    .argument('<file>', 'the backup file to create (must not exist)')
    .action(async (file: string) => {
      await cli.withCore(async (core) => {
        const r = await core.ctx.store.backup(file);
        cli.io.out(`backup: ${r.file} (${r.events} events, ${Math.ceil(r.bytes / 1024)} KiB, schema ${r.schema}) in ${r.ms} ms\n`);
        cli.io.out('The device key is not in the backup: restoring on another machine gives that machine a new device identity.\n');
      });
    });

  program
    .command('restore')
    .description('replace the database with a backup (quit the app first); the replaced file is kept')
    .argument('<file>', 'a file written by `warroom backup`')
    .option('--force', 'restore even if the current database holds events the backup lacks')
    .action(async (file: string, opts: { force?: boolean }) => {
      const r = await restoreBackup({ dataDir: cli.dataDir(), file, force: opts.force === true });
      if (r.previous) cli.io.out(`restore: the previous database is kept as ${r.previous}\n`);
      for (const d of r.dropped) cli.io.out(`restore: events of device ${d.device} seq ${d.from}–${d.to} are only in that kept copy\n`);
      if (r.rekeyed) cli.io.out('restore: this device signs under a new identity from now on (its old chain had moved past the backup)\n');
      await cli.withCore(
        async (core) => {
          const report = await cli.call(core, 'audit.verify', {});
          if (!report.ok) throw new CliExit(`restore: restored, but verify failed: ${report.summary}`);
          cli.io.out(`restore: ${r.events} events from ${r.file}; verify: ${report.summary}\n`);
        },
        { requireProfile: false },
      );
    });
};
