// `warroom serve`: the core over HTTP for a browser (wall display, tests, machines without Electron).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCore } from '../../core/core.ts';
import { HostConfigError, startHost } from '../../host/server.ts';
import { CliExit, type CommandModule } from '../context.ts';

export const serveCommands: CommandModule = (program, cli) => {
  program
    .command('serve')
    .description('serve the app and its API over HTTP (default http://127.0.0.1:7300)')
    .option('--port <port>', 'TCP port (0 picks a free one)', '7300')
    .option('--host <addr>', 'address to listen on; anything but loopback needs --token', '127.0.0.1')
    .option('--token <token>', 'token every request must carry (read-only on the network)')
    .option('--write-token <token>', 'token that may also change data from the network')
    .option('--static <dir>', 'folder of the built renderer (default: the one next to this program)')
    .option('--sync-dir <dir>', 'shared folder to sync with (initialised if empty, joined if it holds a war room)')
    .option('--sync-poll-ms <ms>', 'how often to poll the shared folder (default 2000)')
    .option('--no-sync-compaction', 'never merge this device’s small segments in the shared folder (§1.8)')
    .option('--metrics-refresh-ms <ms>', 'how often to refresh the metrics of deploying and stabilizing releases (0: only on request)', '15000')
    .action(async (opts: { port: string; host: string; token?: string; writeToken?: string; static?: string; syncDir?: string; syncPollMs?: string; syncCompaction: boolean; metricsRefreshMs: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliExit(`--port must be a whole number from 0 to 65535, not "${opts.port}".`, 2);
      }
      const staticDir = opts.static ? resolve(opts.static) : findRendererBuild();
      const pollMs = opts.syncPollMs === undefined ? undefined : Number(opts.syncPollMs);
      if (pollMs !== undefined && (!Number.isInteger(pollMs) || pollMs < 50)) throw new CliExit('--sync-poll-ms must be a whole number of at least 50.', 2);
      const refreshMs = Number(opts.metricsRefreshMs);
      if (!Number.isInteger(refreshMs) || (refreshMs !== 0 && refreshMs < 1000)) throw new CliExit('--metrics-refresh-ms must be 0 (off) or a whole number of at least 1000.', 2);
      const core = openCore({
        dataDir: cli.dataDir(),
        sync: { run: true, ...(opts.syncDir ? { folder: opts.syncDir } : {}), ...(pollMs ? { pollMs } : {}), ...(opts.syncCompaction ? {} : { compaction: false as const }) },
        metrics: { refreshMs },
      });
      try {
        await core.startSync();
      } catch (error) {
        core.close();
        throw new CliExit(`sync: ${error instanceof Error ? error.message : String(error)}`);
      }
      let host;
      try {
        host = await startHost({
          host: opts.host,
          port,
          token: opts.token,
          writeToken: opts.writeToken,
          dispatch: core.dispatch,
          subscribe: core.subscribe,
          staticDir,
        });
      } catch (error) {
        core.close();
        if (error instanceof HostConfigError) throw new CliExit(error.message, 2);
        const code = (error as { code?: string }).code;
        if (code === 'EADDRINUSE') throw new CliExit(`Port ${port} on ${opts.host} is already in use; pick another with --port.`);
        if (code === 'EADDRNOTAVAIL') throw new CliExit(`${opts.host} is not an address of this machine.`);
        throw error;
      }
      if (!staticDir) cli.io.err('warroom: the renderer is not built (run `npm run build`); serving the API only.\n');
      cli.io.out(`Release War Room ${core.ctx.version} — data in ${core.ctx.dataDir}\n`);
      cli.io.out(`Serving at ${host.url}\n`);
      cli.io.out('Press Ctrl+C to stop.\n');
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void host.close().then(() => {
            core.close();
            done();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
};

function findRendererBuild(): string | null {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  // The bundle lives in dist/cli; from sources (tsx) the build is in the checkout's dist.
  const candidates = [join(here, '..', 'renderer'), resolve(here, '../../../../dist/renderer'), resolve('dist/renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}
