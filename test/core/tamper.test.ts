// verify catches tampering done directly in SQLite: an edited payload, a deleted event, a
// signature by another key, a rewritten index column — each named with its device and seq.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/core/store/index.ts';
import { openCore } from '../../src/main/core/core.ts';
import { openWithProfile, tick } from './helpers.ts';

/** A store with 10 events (profile + 9 ticks), closed, ready for a raw connection to tamper. */
function tamperable() {
  const store = openWithProfile();
  store.appendEvents(Array.from({ length: 9 }, (_, i) => tick('r1', `s${i}`)));
  const device = store.device().id;
  const { dataDir, path } = store;
  expect(store.verify().ok).toBe(true);
  store.close();
  return { dataDir, path, device };
}

function tamper(path: string, statements: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    statements(db);
  } finally {
    db.close();
  }
}

function verifyAgain(dataDir: string) {
  const store = openStore({ dataDir, log: () => {} });
  try {
    return store.verify();
  } finally {
    store.close();
  }
}

describe('verify catches tampering', () => {
  it('a payload edited in place', () => {
    const { dataDir, path, device } = tamperable();
    tamper(path, (db) => db.prepare("UPDATE events SET body = replace(body, '\"done\":true', '\"done\":false') WHERE seq = 4").run());
    const report = verifyAgain(dataDir);
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toEqual({ device, seq: 4, reason: 'the hash does not match the event (edited after signing)' });
    expect(report.summary).toMatch(new RegExp(`^FAILED: device ${device} at seq 4: `));
  });

  it('a payload edited with its hash recomputed (the signature still catches it)', () => {
    const { dataDir, path, device } = tamperable();
    tamper(path, (db) => {
      const row = db.prepare('SELECT body FROM events WHERE seq = 10').get() as { body: string };
      const body = row.body.replace('"release":"r1"', '"release":"r9"');
      db.prepare('UPDATE events SET body = ?, hash = ?, release = ? WHERE seq = 10').run(body, createHash('sha256').update(body).digest(), 'r9');
      db.prepare('UPDATE devices SET head_hash = (SELECT hash FROM events WHERE seq = 10)').run();
    });
    expect(verifyAgain(dataDir).firstFailure).toEqual({ device, seq: 10, reason: 'the signature is not valid for this device key' });
  });

  it('an event deleted from the middle, and one deleted from the end', () => {
    const a = tamperable();
    tamper(a.path, (db) => db.prepare('DELETE FROM events WHERE seq = 6').run());
    expect(verifyAgain(a.dataDir).firstFailure).toEqual({ device: a.device, seq: 6, reason: 'seq 6 is missing (next stored is 7)' });

    const b = tamperable();
    tamper(b.path, (db) => db.prepare('DELETE FROM events WHERE seq = 10').run());
    expect(verifyAgain(b.dataDir).firstFailure).toMatchObject({ device: b.device, seq: 10, reason: expect.stringMatching(/device head is 10/) });
  });

  it('a signature made with another key', () => {
    const { dataDir, path, device } = tamperable();
    const { privateKey } = generateKeyPairSync('ed25519');
    tamper(path, (db) => {
      const row = db.prepare('SELECT hash FROM events WHERE seq = 3').get() as { hash: Buffer };
      db.prepare('UPDATE events SET sig = ? WHERE seq = 3').run(sign(null, row.hash, privateKey));
    });
    expect(verifyAgain(dataDir).firstFailure).toEqual({ device, seq: 3, reason: 'the signature is not valid for this device key' });
  });

  it('an event re-chained after a deletion (prev no longer links)', () => {
    const { dataDir, path, device } = tamperable();
    tamper(path, (db) => {
      db.prepare('DELETE FROM events WHERE seq = 5').run();
      db.prepare("UPDATE events SET seq = seq - 1, id = ? || ':' || (seq - 1) WHERE seq > 5").run(device);
      db.prepare('UPDATE devices SET head_seq = 9').run();
    });
    expect(verifyAgain(dataDir).firstFailure).toMatchObject({ device, seq: 5 });
  });

  it('an index column rewritten to move an event to another release', () => {
    const { dataDir, path, device } = tamperable();
    tamper(path, (db) => db.prepare("UPDATE events SET release = 'elsewhere' WHERE seq = 7").run());
    expect(verifyAgain(dataDir).firstFailure).toEqual({ device, seq: 7, reason: 'the indexed entity does not match the signed event' });
  });

  it('reports per-device chain status through the API (the Audit panel)', async () => {
    const { dataDir, path, device } = tamperable();
    tamper(path, (db) => db.prepare("UPDATE events SET body = replace(body, 'Ada', 'Eve') WHERE seq = 2").run());
    const core = openCore({ dataDir, log: () => {} });
    try {
      const result = await core.dispatch('audit.verify', {});
      expect(result).toMatchObject({
        ok: true,
        value: {
          ok: false,
          events: 10,
          devices: [{ device, self: true, events: 10, headSeq: 10, ok: false, failure: { seq: 2 } }],
        },
      });
    } finally {
      core.close();
    }
  });
});
