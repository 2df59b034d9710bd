// The peer workload: what many Electron apps do to persist state — rewrite one JSON document
// per change. lowdb (steno: temp file + rename, no fsync) and conf, electron-store's engine
// (atomically: temp file + fsync + rename). Same record shape as a tick, one write per tick.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { sampleAsync, sample } from './stats.ts';

interface TickRecord {
  id: string;
  release: string;
  step: string;
  done: boolean;
  by: { id: string; name: string; role: string };
  at: string;
  note: string;
}

function records(n: number): Record<string, TickRecord> {
  const out: Record<string, TickRecord> = {};
  for (let i = 0; i < n; i++) {
    out[`s${i}`] = {
      id: `dev:${i + 1}`,
      release: 'r-big',
      step: `s${i}`,
      done: i % 2 === 0,
      by: { id: 'p-bench-0', name: 'Person 0', role: 'engineer' },
      at: new Date(Date.UTC(2026, 10, 23) + i * 1000).toISOString(),
      note: `Step ${i}: verified on the canary pool before widening`,
    };
  }
  return out;
}

export async function lowdbTicks(recordCount: number, ticks: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wr-bench-lowdb-'));
  try {
    const db = new Low<{ records: Record<string, TickRecord> }>(new JSONFile(join(dir, 'db.json')), { records: {} });
    db.data = { records: records(recordCount) };
    await db.write();
    return await sampleAsync(ticks, async (i) => {
      const record = db.data.records[`s${Math.abs(i) % recordCount}`]!;
      record.done = !record.done;
      record.at = new Date().toISOString();
      await db.write();
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function confTicks(recordCount: number, ticks: number): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'wr-bench-conf-'));
  try {
    const conf = new Conf<{ records: Record<string, TickRecord> }>({ projectName: 'warroom-bench', cwd: dir });
    conf.set('records', records(recordCount));
    return sample(ticks, (i) => {
      const key = `s${Math.abs(i) % recordCount}`;
      conf.set(`records.${key}.done`, i % 2 === 0);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A conf store with `recordCount` records on disk, for the cold-start peer. */
export function confFixture(recordCount: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'wr-bench-conf-cold-'));
  new Conf<{ records: Record<string, TickRecord> }>({ projectName: 'warroom-bench', cwd: dir }).set('records', records(recordCount));
  return dir;
}
