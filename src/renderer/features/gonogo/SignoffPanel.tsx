// One row per required sign-off role: who signed, rejected sign-offs with the rule they break,
// and the buttons to sign or withdraw. A refusal (segregation of duties) is shown as said.
import { useState } from 'react';
import type { GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import { formatDateTime } from '../../format/time.ts';
import { useClient } from '../../state/context.tsx';
import type { BoardState } from './use-board.ts';

export function SignoffPanel({ board, act, readOnly }: { board: GoNoGoDetail; act: BoardState['act']; readOnly: boolean }) {
  const client = useClient();
  const [message, setMessage] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const me = board.you?.id;

  const sign = async (role: GoNoGoDetail['requiredRoles'][number]) => setMessage(await act(() => client.call('gonogo.signoff', { release: board.release, role })));
  const withdraw = async (signoff: string) => {
    const problem = await act(() => client.call('gonogo.withdraw', { release: board.release, signoff, reason: reason.trim() }));
    setMessage(problem);
    if (!problem) {
      setWithdrawing(null);
      setReason('');
    }
  };

  return (
    <section className="panel gonogo-signoffs" aria-labelledby="gonogo-signoffs-title">
      <h2 id="gonogo-signoffs-title" className="panel__title">
        Sign-offs
      </h2>
      {board.roles.length === 0 && <p className="gonogo-muted">No sign-offs are required.</p>}
      <ul className="gonogo-roles">
        {board.roles.map((row) => {
          const mine = row.signoffs.find((s) => s.by.id === me && s.rejected === null);
          return (
            <li key={row.role} className={`gonogo-role ${row.signed ? 'gonogo-role--signed' : ''}`} data-role={row.role}>
              <div className="gonogo-role__head">
                <span className="gonogo-role__label">{row.label}</span>
                <span className={`badge ${row.signed ? 'badge--ok' : 'badge--warn'}`}>{row.signed ? 'Signed' : 'Missing'}</span>
              </div>
              {row.signoffs.map((s) => (
                <p key={s.id} className={s.rejected ? 'gonogo-role__rejected' : 'gonogo-role__by'}>
                  {s.rejected ? 'Rejected: ' : ''}
                  {s.by.name}, {formatDateTime(s.at)}
                  {s.rejected && <span> — {s.rejected}</span>}
                </p>
              ))}
              {readOnly ? null : withdrawing === row.role && mine ? (
                <form
                  className="gonogo-inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void withdraw(mine.id);
                  }}
                >
                  <label className="field">
                    <span className="field__label">Why withdraw?</span>
                    <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} required />
                  </label>
                  <button type="submit" className="button">
                    Withdraw
                  </button>
                  <button type="button" className="button button--quiet" onClick={() => setWithdrawing(null)}>
                    Cancel
                  </button>
                </form>
              ) : mine ? (
                <button type="button" className="button button--quiet" onClick={() => setWithdrawing(row.role)}>
                  Withdraw my sign-off
                </button>
              ) : row.signed ? null : (
                <button type="button" className="button" onClick={() => void sign(row.role)}>
                  Sign as {row.label.toLowerCase()}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {message && (
        <p className="gonogo-error" role="alert" data-testid="signoff-message">
          {message}
        </p>
      )}
    </section>
  );
}
