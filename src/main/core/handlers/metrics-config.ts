// PLACEHOLDER (replaced by the metrics configuration work).
import type { metricsApi } from '../../../shared/api/metrics.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';

type ConfigMethods = Omit<typeof metricsApi, 'metrics.series' | 'metrics.refresh' | 'metrics.rules'>;
const notBuilt = (): never => {
  throw new ApiError('unavailable', 'Not built yet.');
};

export const metricsConfigHandlers = {
  'metrics.source.list': notBuilt,
  'metrics.source.save': notBuilt,
  'metrics.source.remove': notBuilt,
  'metrics.source.test': notBuilt,
  'metrics.view': notBuilt,
  'metrics.panel.save': notBuilt,
  'metrics.panel.remove': notBuilt,
  'metrics.rule.save': notBuilt,
  'metrics.rule.remove': notBuilt,
  'metrics.record': notBuilt,
  'metrics.dashboard.list': notBuilt,
  'metrics.dashboard.save': notBuilt,
  'metrics.dashboard.apply': notBuilt,
  'stabilization.start': notBuilt,
  'stabilization.check': notBuilt,
  'stabilization.handoff': notBuilt,
  'stabilization.close': notBuilt,
} satisfies HandlersOf<ConfigMethods, CoreContext>;
