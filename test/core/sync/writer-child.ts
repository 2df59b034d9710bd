// A sync writer in its own process (T2): joins the shared folder, records N releases, publishes.
// With WR_FAIL set, the publish kills this process at that failpoint.
import { openCore } from '../../../src/main/core/core.ts';

const [dataDir, shared, count] = process.argv.slice(2);
const core = openCore({ dataDir: dataDir!, log: () => {}, sync: { run: false } });
const call = async (method: string, input: unknown) => {
  const r = await core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
};
if (!core.ctx.store.profile()) await call('profile.set', { name: 'Wes', role: 'engineer' });
for (let i = 0; i < Number(count); i++) await call('release.create', { name: `W ${Date.now()} ${i}`, version: `${i}.0.0` });
await call('sync.setup', { folder: shared });
process.stdout.write(`DONE ${core.ctx.store.device().id}\n`);
core.close();
