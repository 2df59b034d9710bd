// B5 chart render: builds the benchmark page with Vite, serves it on 127.0.0.1 and drives it in
// Debian's Chromium (playwright-core). For recharts fed the raw 8 640 points per series and for
// the LTTB-downsampled 600 (the panel's width): the cold first frame, then the median (and p95)
// of 5 warm first frames after it (the modes interleaved), the heap, and for downsampled data the
// p95 of 60 live updates. Gate: downsampled ≥ 6× faster than raw; budget: < 150 ms downsampled.
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import { chromium, type Page } from 'playwright-core';

const here = import.meta.dirname;
const repo = join(here, '..', '..');
const dist = join(repo, 'dist', 'bench-chart-render');
const WARM_RUNS = 5;
const UPDATES = 60;
const BUDGET_MS = 150;
const GATE_RATIO = 6;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const file = join(dist, path === '/' ? 'index.html' : path);
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

interface ModeResult {
  coldMs: number;
  warmMs: number[];
  p50Ms: number;
  p95Ms: number;
  heapMB: number | null;
  drawnPaths: number;
  /** Median split of the warm runs: JSON + Prometheus parse, (LTTB) thinning, React + recharts + frame. */
  splitMs: { parse: number; thin: number; render: number };
  updateP95Ms?: number;
}

type Frame = { total: number; parse: number; thin: number; render: number };
/** window.bench in the page; evaluated callbacks run there, so each names it in full. */
type Bench = { firstFrame(m: string): Promise<Frame>; update(m: string, i: number): Promise<number>; drawnPaths(): number; heapBytes(): number | null };

function summary(cold: number, warm: Frame[]): Omit<ModeResult, 'heapMB' | 'drawnPaths'> {
  const warmMs = warm.map((f) => f.total);
  const splitMs = { parse: round(median(warm.map((f) => f.parse))), thin: round(median(warm.map((f) => f.thin))), render: round(median(warm.map((f) => f.render))) };
  return { coldMs: round(cold), warmMs: warmMs.map(round), p50Ms: round(median(warmMs)), p95Ms: round(p95(warmMs)), splitMs };
}

/** Heap and drawn paths after a render of `mode` (garbage collected first). */
async function settle(page: Page, mode: 'raw' | 'lttb'): Promise<{ heapMB: number | null; drawnPaths: number }> {
  await page.evaluate((m) => (globalThis as unknown as { bench: Bench }).bench.firstFrame(m), mode);
  const drawnPaths = await page.evaluate(() => (globalThis as unknown as { bench: Bench }).bench.drawnPaths());
  const heap = await page.evaluate(() => {
    (globalThis as unknown as { gc?: () => void }).gc?.();
    return (globalThis as unknown as { bench: Bench }).bench.heapBytes();
  });
  return { heapMB: heap === null ? null : round(heap / 2 ** 20), drawnPaths };
}

/**
 * Both modes in one page, runs interleaved (downsampled, raw, downsampled, …) so that a busy
 * machine slows both alike and the ratio stays fair; the first run of each is the cold one.
 */
async function measure(page: Page, url: string): Promise<Record<'raw' | 'lttb', ModeResult>> {
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as { bench?: { ready: boolean } }).bench?.ready === true);
  const run = (mode: 'raw' | 'lttb') => page.evaluate((m) => (globalThis as unknown as { bench: Bench }).bench.firstFrame(m), mode);
  const cold = { lttb: (await run('lttb')).total, raw: (await run('raw')).total };
  const warm: Record<'raw' | 'lttb', Frame[]> = { lttb: [], raw: [] };
  for (let i = 0; i < WARM_RUNS; i++) {
    warm.lttb.push(await run('lttb'));
    warm.raw.push(await run('raw'));
  }
  const raw: ModeResult = { ...summary(cold.raw, warm.raw), ...(await settle(page, 'raw')) };
  const lttb: ModeResult = { ...summary(cold.lttb, warm.lttb), ...(await settle(page, 'lttb')) };
  const updates: number[] = [];
  for (let n = 1; n <= UPDATES; n++) updates.push(await page.evaluate(([m, i]) => (globalThis as unknown as { bench: Bench }).bench.update(m as string, i as number), ['lttb', n] as const));
  lttb.updateP95Ms = round(p95(updates));
  return { raw, lttb };
}

await build({ configFile: join(here, 'vite.config.ts'), mode: 'production' });
const { server, url } = await serve();
const browser = await chromium.launch({
  executablePath: process.env.WARROOM_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
  const { lttb, raw } = await measure(await context.newPage(), url);
  await context.close();
  const ratio = round(raw.p50Ms / lttb.p50Ms);
  const coldRatio = round(raw.coldMs / lttb.coldMs);
  const heapRatio = lttb.heapMB && raw.heapMB ? round(raw.heapMB / lttb.heapMB) : null;
  const pass = ratio >= GATE_RATIO;
  const report = {
    at: new Date().toISOString(),
    grid: { panels: 4, seriesPerPanel: 5, pointsPerSeries: 8640, downsampledTo: 600, widthPx: 600 },
    downsampled: lttb,
    raw,
    ratio,
    coldRatio,
    heapRatio,
    budgetMs: BUDGET_MS,
    withinBudget: lttb.p50Ms < BUDGET_MS,
    gate: { ratioAtLeast: GATE_RATIO, pass },
  };
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repo, 'bench', 'results', 'chart-render.json'), JSON.stringify(report, null, 2) + '\n');
  console.log('B5 chart render — 20 series × 8 640 points, 4 panels × 5 series at 600 px');
  console.log(`  downsampled (LTTB → 600): first frame p50 ${lttb.p50Ms} ms, p95 ${lttb.p95Ms} ms (cold ${lttb.coldMs} ms), update p95 ${lttb.updateP95Ms} ms, heap ${lttb.heapMB ?? '?'} MB`);
  console.log(`  raw (8 640 per series):   first frame p50 ${raw.p50Ms} ms, p95 ${raw.p95Ms} ms (cold ${raw.coldMs} ms), heap ${raw.heapMB ?? '?'} MB`);
  console.log(`  split p50 (parse / thin / render+frame): downsampled ${lttb.splitMs.parse} / ${lttb.splitMs.thin} / ${lttb.splitMs.render} ms; raw ${raw.splitMs.parse} / ${raw.splitMs.thin} / ${raw.splitMs.render} ms`);
  console.log(`  ratio raw ÷ downsampled: ${ratio}× warm, ${coldRatio}× cold, heap ${heapRatio ?? '?'}×`);
  console.log(`  budget < ${BUDGET_MS} ms downsampled: ${lttb.p50Ms < BUDGET_MS ? 'within' : 'OVER'} · gate ≥ ${GATE_RATIO}× faster: ${pass ? 'PASS' : 'FAIL'}`);
  // Like the other benchmarks: a missed gate is printed (and in the JSON), not an exit code that would stop the rest of `npm run bench`.
} finally {
  await browser.close();
  server.close();
}
