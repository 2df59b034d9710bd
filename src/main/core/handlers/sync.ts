// Handlers for the sync group: the shared-folder status, a pass on demand, set-up, admission,
// and the §1.7 repair (which writes only after an explicit confirmation).
import { ApiError } from '../../../shared/api/errors.ts';
import type { syncApi } from '../../../shared/api/sync.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';

export const syncHandlers = {
  'sync.status': (_input, ctx) => ctx.sync.status(),
  'sync.now': (_input, ctx) => ctx.sync.syncNow(),
  'sync.setup': (input, ctx) => ctx.sync.setup(input.folder, input.pollMs),
  'sync.admit': (input, ctx) => ctx.sync.admit(input.device),
  'sync.revoke': (input, ctx) => ctx.sync.revoke(input.device, input.reason),
  'sync.repairPlan': (input, ctx) => ctx.sync.repairPlan(input.device),
  'sync.repair': (input, ctx) => {
    if (input.confirm !== true) {
      throw new ApiError('invalid_input', 'A repair writes into another device\'s folder: look at sync.repairPlan first, then call again with confirm: true.', 'confirm', 'not_confirmed');
    }
    return ctx.sync.repair(input.device);
  },
} satisfies HandlersOf<typeof syncApi, CoreContext>;
