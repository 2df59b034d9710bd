// The release's alert rules with their state in words and colour (no data is amber, never green),
// the sentence that says why, and an "explain" disclosure with the deciding samples.
import type { RuleStatus } from '../../../shared/api/metrics.ts';
import type { RuleState } from '../../../shared/metrics/model.ts';
import { formatDateTime } from '../../format/time.ts';
import { RuleExplain } from './RuleExplain.tsx';

export const RULE_STATE_TEXT: Record<RuleState, string> = { ok: 'ok', firing: 'firing', no_data: 'no data' };
export const RULE_STATE_TONE: Record<RuleState, string> = { ok: 'ok', firing: 'danger', no_data: 'warn' };

export function RulesList({ rules, onEdit, onRemove }: { rules: RuleStatus[]; onEdit?(rule: RuleStatus): void; onRemove?(rule: RuleStatus): void }) {
  if (rules.length === 0) {
    return <p className="metrics-muted">No alert rules yet. A rule such as “error rate &gt; 2 % for 5 min” raises a banner and offers a rollback when it fires.</p>;
  }
  return (
    <ul className="metrics-rules" aria-label="Alert rules">
      {rules.map((r) => (
        <li key={r.rule.id} className={`metrics-rule metrics-rule--${r.state}`} data-rule={r.rule.id}>
          <div className="metrics-rule__head">
            <span className={`badge badge--${RULE_STATE_TONE[r.state]}`} data-testid="rule-state">
              {RULE_STATE_TEXT[r.state]}
            </span>
            <strong className="metrics-rule__title">{r.rule.title}</strong>
            {onEdit && (
              <button type="button" className="button button--quiet button--small" onClick={() => onEdit(r)} aria-label={`Edit rule ${r.rule.title}`}>
                Edit
              </button>
            )}
            {onRemove && (
              <button type="button" className="button button--quiet button--small" onClick={() => onRemove(r)} aria-label={`Remove rule ${r.rule.title}`}>
                Remove
              </button>
            )}
          </div>
          <p className="metrics-rule__detail">
            {r.detail}
            {r.since && <span className="metrics-muted"> · since {formatDateTime(r.since)}</span>}
          </p>
          {r.criteria.length > 0 && <p className="metrics-muted">Answers go/no-go: {r.criteria.map((c) => c.title).join(', ')}</p>}
          <details className="metrics-rule__explain">
            <summary>Explain</summary>
            <RuleExplain evidence={r.evidence} />
          </details>
        </li>
      ))}
    </ul>
  );
}
