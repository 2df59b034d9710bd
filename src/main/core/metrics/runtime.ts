// The contract between the metrics handlers and the metrics runtime (the part that queries
// sources, stores samples, evaluates rules and writes alert transitions). The runtime lives on
// the core context as `ctx.metrics`; `host.ts` implements it.
import type { PanelView, RefreshReport, RuleStatus, SeriesResult, SourceSummary } from '../../../shared/api/metrics.ts';
import type { ParsedInputOf } from '../../../shared/api/contract.ts';

export interface MetricsRuntime {
  /** How often live releases (deploying, stabilizing) are refreshed by the core; 0: only on request. */
  readonly refreshMs: number;
  lastRefreshAt(release: string): string | null;
  /** How this device's last request to a source went (null before the first). */
  sourceHealth(source: string): SourceSummary['health'];
  /** Each panel's last query outcome on this device (never-tried panels read `never`). */
  panelStates(release: string): PanelView[];
  /** Each rule evaluated now against the stored samples (pure evaluator, no writes). */
  ruleStatuses(release: string): RuleStatus[];
  /** Query every source of the release, store samples, evaluate rules, write alert transitions. */
  refresh(release: string): Promise<RefreshReport>;
  series(input: ParsedInputOf<'metrics.series'>): SeriesResult;
  /** A manual reading as a sample (source `manual`, this device). */
  storeReading(release: string, metric: string, value: number, at: number): void;
  /** Starts the live refresh loop (serve, Electron). */
  start(): void;
  close(): void;
}
