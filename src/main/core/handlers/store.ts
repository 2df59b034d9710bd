// Handlers for the store group: the audit check, the timeline and projection rebuilds.
import type { storeApi } from '../../../shared/api/store.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';

export const storeHandlers = {
  'audit.verify': (_input, ctx) => ctx.store.verify(),
  'timeline.page': (input, ctx) => ctx.store.timeline(input),
  'store.rebuild': (_input, ctx) => ctx.store.rebuild(),
} satisfies HandlersOf<typeof storeApi, CoreContext>;
