// The dispatch table: every API group's handlers in one object. A method declared in the
// contract without a handler here is a compile error.
import type { Handlers } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';
import { appHandlers } from './app.ts';
import { storeHandlers } from './store.ts';
import { releaseHandlers } from './releases.ts';
import { runbookHandlers } from './runbooks.ts';
import { stepHandlers } from './steps.ts';
import { syncHandlers } from './sync.ts';
import { gonogoHandlers } from './gonogo.ts';
import { metricsConfigHandlers } from './metrics-config.ts';
import { metricsDataHandlers } from './metrics-data.ts';

export const handlers: Handlers<CoreContext> = {
  ...appHandlers,
  ...storeHandlers,
  ...releaseHandlers,
  ...runbookHandlers,
  ...stepHandlers,
  ...syncHandlers,
  ...gonogoHandlers,
  ...metricsConfigHandlers,
  ...metricsDataHandlers,
};
