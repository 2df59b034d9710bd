// A real Prometheus for tests and benchmarks: Debian's /usr/bin/prometheus on a free 127.0.0.1
// port, scraping the test exporter (job "api") every second, with its data in a temp folder.
// `startPrometheus()` resolves once the target is up and scraped at least twice; `stop()` kills
// it and removes the folder. A missing binary is an error, never a skip (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startExporter, type Exporter, type ExporterOptions } from './exporter.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const READY_WITHIN_MS = 30_000;

export interface PrometheusOptions extends ExporterOptions {
  /** Scrape and rule-evaluation interval (default 1 s). */
  scrapeIntervalSeconds?: number;
  /**
   * OpenMetrics text (ending `# EOF`, timestamps in epoch seconds) written into the database with
   * promtool before Prometheus starts: history that could not be scraped live (e.g. 24 h).
   */
  backfill?: string;
  /** --storage.tsdb.retention.time (default 1h; longer when backfilling old samples). */
  retention?: string;
}

export interface RunningPrometheus {
  /** Base URL, such as http://127.0.0.1:41234. */
  url: string;
  exporter: Exporter;
  /** Stops and starts the same server (same port, same data): an outage and a recovery. */
  restart(): Promise<void>;
  /** Stops only Prometheus (the exporter keeps running); `start()` brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** True once /-/ready answers and the exporter has been scraped at least twice. */
async function scrapedTwice(url: string): Promise<boolean> {
  const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!ready) return false;
  const query = encodeURIComponent('count_over_time(up{job="api"}[1m])');
  const body = (await getJson(`${url}/api/v1/query?query=${query}`)) as { data?: { result?: { value: [number, string] }[] } } | null;
  const value = Number(body?.data?.result?.[0]?.value[1] ?? 0);
  return value >= 2;
}

/** Writes OpenMetrics samples into `<dir>/data` as TSDB blocks (promtool ships with Prometheus). */
function backfill(dir: string, openMetrics: string): void {
  const input = join(dir, 'backfill.om');
  writeFileSync(input, openMetrics);
  const promtool = join(dirname(PROMETHEUS_BIN), 'promtool');
  const run = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, join(dir, 'data')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`promtool could not backfill the test data (${run.error?.message ?? `exit ${run.status}`}):\n${run.stderr}`);
}

export async function startPrometheus(opts: PrometheusOptions = {}): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(`Prometheus is not installed (${PROMETHEUS_BIN} is missing): install Debian's prometheus package: apt-get install -y prometheus`);
  }
  const interval = opts.scrapeIntervalSeconds ?? 1;
  const exporter = await startExporter(opts);
  const dir = mkdtempSync(join(tmpdir(), 'warroom-prom-'));
  const config = join(dir, 'prometheus.yml');
  const exporterHost = exporter.url.replace(/^http:\/\//, '');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${interval}s`,
      `  evaluation_interval: ${interval}s`,
      'scrape_configs:',
      '  - job_name: api',
      `    static_configs: [{ targets: ['${exporterHost}'] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    output = '';
    const proc = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.retention.time=${opts.retention ?? '1h'}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = proc;
    running.add(proc);
    proc.stderr!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    let exited: string | null = null;
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      exited = `exited with ${signal ?? `code ${code}`}`;
    });
    const deadline = Date.now() + READY_WITHIN_MS;
    while (!(await scrapedTwice(url))) {
      if (exited) throw new Error(`Prometheus ${exited} before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`Prometheus at ${url} did not scrape the test exporter twice within ${READY_WITHIN_MS / 1000} s:\n${output}`);
      await sleep(200);
    }
  };

  const kill = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const forced = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(forced);
  };

  const stop = async () => {
    await kill();
    await exporter.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (opts.backfill !== undefined) backfill(dir, opts.backfill);
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    exporter,
    restart: async () => {
      await kill();
      await start();
    },
    kill,
    start,
    stop,
  };
}
