// The contract and the dispatch table: every method has a handler, inputs are validated before
// handlers run, and errors keep one typed shape.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api, METHOD_NAMES } from '../../src/shared/api/contract.ts';
import { mergeGroups, method } from '../../src/shared/api/define.ts';
import { handlers } from '../../src/main/core/handlers/index.ts';
import { openCore } from '../../src/main/core/core.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('API contract', () => {
  it('has a handler for every declared method and no handler without a declaration', () => {
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('marks every method as read or write', () => {
    for (const name of METHOD_NAMES) expect(['read', 'write'], name).toContain(api[name].access);
  });

  it('refuses a method declared twice', () => {
    const a = { 'x.get': method<number>()({ input: z.object({}), access: 'read', summary: 'x' }) };
    expect(() => mergeGroups(a, a)).toThrow(/declared twice: x\.get/);
  });
});

describe('dispatch', () => {
  it('validates input before the handler runs and names the field', async () => {
    const core = openCore({ dataDir: tempDir() });
    try {
      const result = await core.dispatch('profile.set', { name: 'Ada', role: 42 });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'role' } });
      expect(core.ctx.store.profile()).toBeNull();
    } finally {
      core.close();
    }
  });

  it('refuses writes on a read-only connection but allows reads', async () => {
    const core = openCore({ dataDir: tempDir() });
    try {
      const write = await core.dispatch('profile.set', { name: 'Ada', role: 'lead' }, { allowWrite: false });
      expect(write).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const read = await core.dispatch('app.info', {}, { allowWrite: false });
      expect(read.ok).toBe(true);
    } finally {
      core.close();
    }
  });
});
