// A sync device in its own process for T12 "chmod 000": the test runs it without the
// capabilities that let root ignore permission bits, and drives it with one JSON request per
// stdin line (one JSON answer per stdout line). Its engine polls by itself, like the app's.
import { readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runCli } from '../../../src/main/cli/program.ts';
import { openCore } from '../../../src/main/core/core.ts';

const [dataDir, shared, name, pollMs] = process.argv.slice(2);
const core = openCore({
  dataDir: dataDir!,
  log: (line) => process.stderr.write(`${line}\n`),
  sync: { run: true, folder: shared!, pollMs: Number(pollMs), watch: false, stabilityMs: 300 },
});
const call = async (method: string, input: unknown = {}) => {
  const r = await core.dispatch(method, input);
  if (!r.ok) throw new Error(`${name} ${method}: ${r.error.message}`);
  return r.value;
};

/** What this device holds: every event (id#hash) once per copy, the projection digest, titles. */
function holdings() {
  const store = core.ctx.store;
  const events = store
    .heads()
    .flatMap((h) => store.readEvents(h.device, 0, 1_000_000).map((e) => `${e.id}#${e.hash.slice(0, 12)}`))
    .sort();
  const titles = store
    .entities('release')
    .map((r) => String(r.state.registers.title?.values[0]?.value ?? ''))
    .sort();
  return { id: store.device().id, digest: store.digest(), events, titles, verified: store.verify().ok };
}

/** The error code listing `path` gives this process ('ok' when it can read it). */
function probe(path: string): string {
  try {
    readdirSync(path);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** `warroom …` run in this process, on this device's data folder, output captured. */
async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--data-dir', dataDir!], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

type Request = { id: number; op: 'probe'; path: string } | { id: number; op: 'call'; method: string; input?: unknown } | { id: number; op: 'pass' | 'status' | 'holdings' | 'exit' } | { id: number; op: 'cli'; argv: string[] };

async function answer(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'probe':
      return probe(req.path);
    case 'call':
      return call(req.method, req.input);
    case 'pass':
      return call('sync.now');
    case 'status':
      return call('sync.status');
    case 'holdings':
      return holdings();
    case 'cli':
      return cli(req.argv);
    case 'exit':
      core.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

await call('profile.set', { name, role: 'engineer' });
await core.startSync();
process.stdout.write(`${JSON.stringify({ id: 0, ok: true, value: core.ctx.store.device().id })}\n`);
// One request at a time, in order, as the test sends them.
for await (const line of createInterface({ input: process.stdin })) {
  const req = JSON.parse(line) as Request;
  try {
    process.stdout.write(`${JSON.stringify({ id: req.id, ok: true, value: (await answer(req)) ?? null })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id: req.id, ok: false, error: error instanceof Error ? error.message : String(error) })}\n`);
  }
}
