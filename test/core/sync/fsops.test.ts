// Retries on the shared folder: a file briefly held (EBUSY, EACCES from an antivirus on Windows)
// is retried; a folder that refused every retry gets one attempt per operation for a minute, so
// a real permission problem does not block the app ~1 s on every pass.
import { describe, expect, it } from 'vitest';
import { withRetries } from '../../../src/main/core/sync/fsops.ts';
import { tempDir } from '../../helpers/tmp.ts';

function failing(code: string, times: number) {
  let calls = 0;
  const op = () => {
    calls += 1;
    if (calls <= times) throw Object.assign(new Error(`${code}: refused`), { code });
    return 'done';
  };
  return { op, calls: () => calls };
}

describe('withRetries', () => {
  it('retries a briefly held file until it succeeds', () => {
    const held = failing('EBUSY', 2);
    expect(withRetries(held.op, tempDir('wr-retry-'))).toBe('done');
    expect(held.calls()).toBe(3);
  });

  it('passes other errors through at once', () => {
    const missing = failing('ENOENT', 1);
    expect(() => withRetries(missing.op, tempDir('wr-retry-'))).toThrow(/ENOENT/);
    expect(missing.calls()).toBe(1);
  });

  it('after a folder refused every retry, tries it once per operation until an operation there succeeds', () => {
    const folder = tempDir('wr-retry-');
    const denied = failing('EACCES', Infinity);
    expect(() => withRetries(denied.op, folder)).toThrow(/EACCES/);
    expect(denied.calls()).toBe(6);
    // The next operations in that folder: one attempt each, no blocking round of retries.
    expect(() => withRetries(denied.op, folder)).toThrow(/EACCES/);
    expect(() => withRetries(denied.op, folder)).toThrow(/EACCES/);
    expect(denied.calls()).toBe(8);
    // Another folder is not affected.
    const elsewhere = failing('EACCES', 1);
    expect(withRetries(elsewhere.op, tempDir('wr-retry-'))).toBe('done');
    expect(elsewhere.calls()).toBe(2);
    // Once an operation there succeeds, the folder gets its retries again.
    expect(withRetries(() => 'fixed', folder)).toBe('fixed');
    const heldAgain = failing('EBUSY', 3);
    expect(withRetries(heldAgain.op, folder)).toBe('done');
    expect(heldAgain.calls()).toBe(4);
  });
});
