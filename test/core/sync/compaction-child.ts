// A sync writer with compaction in its own process (T17): records N releases, one pass (so one
// small segment) each, then one more pass. The clock and compaction settings come from the
// command line; with WR_FAIL set, compaction kills this process at that step.
import { openCore } from '../../../src/main/core/core.ts';
import { readSyncConfig } from '../../../src/main/core/sync/config.ts';
import { SyncEngine } from '../../../src/main/core/sync/engine.ts';

const [dataDir, shared, count, now, minSegments, graceMs] = process.argv.slice(2);
const clock = () => Number(now);
const core = openCore({ dataDir: dataDir!, now: clock, log: () => {}, sync: { run: false } });
const call = async (method: string, input: unknown) => {
  const r = await core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
};
if (!core.ctx.store.profile()) await call('profile.set', { name: 'Cora', role: 'engineer' });
if (!readSyncConfig(dataDir!)) await call('sync.setup', { folder: shared });
const engine = new SyncEngine({
  store: core.ctx.store,
  folder: shared!,
  dataDir: dataDir!,
  appVersion: 'test',
  workspaceId: readSyncConfig(dataDir!)!.workspaceId!,
  watch: false,
  now: clock,
  log: () => {},
  compaction: { minSegments: Number(minSegments), graceMs: Number(graceMs) },
});
for (let i = 0; i < Number(count); i++) {
  await call('release.create', { name: `C ${now} ${i}`, version: `${i}.0.0` });
  await engine.syncNow();
}
await engine.syncNow();
engine.stop();
process.stdout.write(`DONE ${core.ctx.store.device().id}\n`);
core.close();
