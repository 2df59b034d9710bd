// Passes driven by the engine itself: poll-only mode (no notifications) and file-system
// notifications with a long poll interval both carry a change across within their budget.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.ts';
import { releaseTitles, team } from './harness.ts';

async function until(check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

describe('sync timing', () => {
  it('poll-only mode (no watcher) converges within the poll interval', async () => {
    const shared = tempDir('wr-poll-');
    const [ann, bob] = await team(shared, ['Ann', 'Bob'], { sync: { pollMs: 200, watch: false, debounceMs: 50 } });
    await ann!.call('release.create', { name: 'Polled', version: '1.0.0' });
    const took = await until(() => releaseTitles(bob!).includes('Polled'), 3000);
    expect(took).toBeLessThan(1500);
    expect(bob!.engine().status().watching).toBe(false);
  });

  it('file-system notifications carry a change well before a 60 s poll', async () => {
    const shared = tempDir('wr-watch-');
    const [ann, bob] = await team(shared, ['Ann', 'Bob'], { sync: { pollMs: 60_000, watch: true, debounceMs: 50 } });
    expect(bob!.engine().status().watching).toBe(true);
    await ann!.call('release.create', { name: 'Watched', version: '1.0.0' });
    // Only a notification can carry it before the 60 s poll; the bound leaves room for a loaded
    // CI machine (the latency itself is measured by `npm run bench`, not asserted here).
    const took = await until(() => releaseTitles(bob!).includes('Watched'), 20_000);
    expect(took).toBeLessThan(20_000);
  });
});
