// Handlers for the metrics data methods: samples in a range, a refresh on request, rule states.
// The work is the runtime's (ctx.metrics, src/main/core/metrics/host.ts).
import type { metricsApi } from '../../../shared/api/metrics.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { CoreContext } from '../context.ts';
import { resolveEntity } from '../runbooks/read.ts';

type DataMethods = Pick<typeof metricsApi, 'metrics.series' | 'metrics.refresh' | 'metrics.rules'>;

export const metricsDataHandlers = {
  'metrics.series': (input, ctx) => {
    const { id } = resolveEntity(ctx, 'release', input.release);
    return ctx.metrics.series({ ...input, release: id });
  },
  'metrics.refresh': (input, ctx) => {
    return ctx.metrics.refresh(resolveEntity(ctx, 'release', input.release).id);
  },
  'metrics.rules': (input, ctx) => {
    return ctx.metrics.ruleStatuses(resolveEntity(ctx, 'release', input.release).id);
  },
} satisfies HandlersOf<DataMethods, CoreContext>;
