// Handlers for the app group: what this process is, and the person at this device.
import type { appApi } from '../../../shared/api/app.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';

export const appHandlers = {
  'app.info': (_input, ctx, call) => ({
    product: ctx.product,
    version: ctx.version,
    dataDir: ctx.dataDir,
    device: ctx.store.device(),
    profile: ctx.store.profile(),
    // Sync arrives with the shared-folder issue; until then the honest state is "not set up".
    sync: { state: 'not_configured', folder: null, lastSyncAt: null },
    startedAt: ctx.startedAt,
    access: call.access,
  }),
  'profile.get': (_input, ctx) => ctx.store.profile(),
  'profile.set': (input, ctx) => ctx.store.setProfile(input),
} satisfies HandlersOf<typeof appApi, CoreContext>;
