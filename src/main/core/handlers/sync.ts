// Handlers for the sync group: the shared-folder status, a pass on demand, set-up, admission.
import type { syncApi } from '../../../shared/api/sync.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';

export const syncHandlers = {
  'sync.status': (_input, ctx) => ctx.sync.status(),
  'sync.now': (_input, ctx) => ctx.sync.syncNow(),
  'sync.setup': (input, ctx) => ctx.sync.setup(input.folder, input.pollMs),
  'sync.admit': (input, ctx) => ctx.sync.admit(input.device),
  'sync.revoke': (input, ctx) => ctx.sync.revoke(input.device, input.reason),
} satisfies HandlersOf<typeof syncApi, CoreContext>;
