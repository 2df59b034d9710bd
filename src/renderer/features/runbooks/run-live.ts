// A run as of this second: the core computed elapsed times, progress and the rollback clock when
// it answered; the runner moves them on every second with the shared calculation, so timers run
// without asking the core.
import type { RunDetail } from '../../../shared/api/runbooks.ts';
import { advanceRunView } from '../../../shared/domain/runbooks.ts';

export function liveRun(run: RunDetail, now: number): RunDetail {
  return { ...run, ...advanceRunView(run, now) };
}

/** Whether a run has a clock running: a step in progress, or a rollback not yet finished. */
export function isTicking(run: RunDetail): boolean {
  return run.steps.some((s) => s.state === 'in_progress') || (run.rollback.started !== null && run.rollback.finishedAt === null);
}
