// The automatic go/no-go criteria (runbook sections, test report, metric samples, alert rules)
// answered from the current facts. The gonogo handlers call it after their own writes; the core
// calls it when an alert rule changes state, so a criterion that a rule answers follows the rule.
import type { EntityState } from '../../../shared/events/fold.ts';
import { evaluateRule, type MetricSample } from '../../../shared/gonogo/rules.ts';
import type { CoreContext } from '../context.ts';
import type { EventCommand } from '../store/index.ts';
import { gonogoDetail, sectionsOf } from './read.ts';

const onRelease = (id: string) => ({ kind: 'release', id }) as const;

/** Answers the automatic criteria whose rule now gives a different outcome than the current automatic answer. */
export function autoAnswers(ctx: CoreContext, id: string, state: EntityState, samples: Record<string, MetricSample[]> = {}): EventCommand[] {
  const detail = gonogoDetail(ctx, id, state);
  const report = detail.testReport;
  const alertRules = Object.fromEntries(ctx.metrics.ruleStatuses(id).map((r) => [r.rule.id, r]));
  const inputs = { now: ctx.now(), sections: sectionsOf(ctx, id), samples, junit: report, alertRules };
  const commands: EventCommand[] = [];
  for (const criterion of detail.groups.flatMap((g) => g.criteria)) {
    if (!criterion.auto) continue;
    // A person's answer stands until a person changes it.
    if (criterion.answer && !criterion.answer.auto) continue;
    const result = evaluateRule(criterion.auto, inputs);
    if (result.outcome === 'unknown') continue;
    if (criterion.answer && criterion.answer.answer === result.outcome && criterion.answer.auto?.detail === result.detail) continue;
    commands.push({
      type: 'criterion.answered',
      entity: onRelease(id),
      data: { criterion: criterion.id, answer: result.outcome, as: criterion.role, auto: { rule: criterion.auto.kind, detail: result.detail, inputs: result.inputs } },
    });
  }
  return commands;
}


/** Records changed automatic answers of a release (after an alert transition); returns how many. */
export function reanswerAutomatic(ctx: CoreContext, release: string): number {
  const state = ctx.store.entity('release', release);
  if (!state) return 0;
  const commands = autoAnswers(ctx, release, state);
  if (commands.length > 0) ctx.store.appendEvents(commands);
  return commands.length;
}
