// Handlers for the app group: what this process is, and the person at this device.
import type { appApi, AppInfo } from '../../../shared/api/app.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';

function syncSummary(ctx: CoreContext): AppInfo['sync'] {
  const { state, folder, lastSyncAt } = ctx.sync.status();
  return { state, folder, lastSyncAt };
}

export const appHandlers = {
  'app.info': (_input, ctx, call) => ({
    product: ctx.product,
    version: ctx.version,
    dataDir: ctx.dataDir,
    device: ctx.store.device(),
    profile: ctx.store.profile(),
    sync: syncSummary(ctx),
    startedAt: ctx.startedAt,
    access: call.access,
  }),
  'profile.get': (_input, ctx) => ctx.store.profile(),
  'profile.set': (input, ctx) => ctx.store.setProfile(input),
} satisfies HandlersOf<typeof appApi, CoreContext>;
