// Audit: whether every device's signed, hash-chained log is intact (the same check as
// `warroom verify`), per device, with the first failure named by device and seq.
import { useEffect } from 'react';
import type { DeviceChainStatus, VerifyReport } from '../../../shared/api/store.ts';
import { ROLE_LABELS } from '../../../shared/domain/people.ts';
import { AuditIcon, WarningIcon } from '../../components/icons.tsx';
import { InlineCode } from '../../components/InlineCode.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { formatDateTime, formatRelative } from '../../format/time.ts';
import { useNow } from '../../hooks/useNow.ts';
import { useApp } from '../../state/context.tsx';
import './audit.css';

export function AuditView() {
  const report = useApp((s) => s.audit.report);
  const verifying = useApp((s) => s.audit.verifying);
  const problem = useApp((s) => s.audit.problem);
  const eventsSince = useApp((s) => s.audit.eventsSince);
  const verifyChains = useApp((s) => s.verifyChains);
  const now = useNow(15_000);

  // The first visit checks by itself; later checks are asked for, since on a long log the
  // signature walk takes seconds and the answer stays true until new events arrive.
  const checkedOnce = report !== null || problem !== null;
  useEffect(() => {
    if (!checkedOnce) void verifyChains();
  }, [checkedOnce, verifyChains]);

  return (
    <SectionPage id="audit" summary="Whether each device's signed, hash-chained log is intact — the check an auditor asks for.">
      <section className="audit-summary panel" aria-labelledby="audit-status" aria-busy={verifying}>
        <div className="audit-summary__head">
          <span className={`audit-summary__icon audit-summary__icon--${statusTone(report)}`}>
            {report && !report.ok ? <WarningIcon size={28} /> : <AuditIcon size={28} />}
          </span>
          <div className="audit-summary__text">
            <h2 id="audit-status" data-testid="audit-status">
              {report ? (report.ok ? 'Every chain holds' : 'A chain is broken') : verifying ? 'Checking…' : 'Not checked yet'}
            </h2>
            {/* Announced when a check ends, so a person who pressed Verify hears the answer. */}
            <p className="audit-summary__line" role="status">
              {verifying ? 'Checking every hash, link and signature…' : (report?.summary ?? '')}
            </p>
          </div>
          <button
            type="button"
            className="button button--primary audit-summary__verify"
            onClick={() => void verifyChains()}
            aria-disabled={verifying || undefined}
          >
            {verifying ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
            {verifying ? 'Verifying…' : 'Verify now'}
          </button>
        </div>

        {report && (
          <dl className="audit-facts">
            <div>
              <dt>Devices</dt>
              <dd>{report.devices.length}</dd>
            </div>
            <div>
              <dt>Events</dt>
              <dd>{report.events.toLocaleString()}</dd>
            </div>
            {report.deferred > 0 && (
              <div>
                <dt>From a newer version</dt>
                <dd title="Stored and verified, but not folded until this app is upgraded.">
                  {report.deferred.toLocaleString()}
                </dd>
              </div>
            )}
            <div>
              <dt>Checked</dt>
              <dd data-testid="audit-checked-at">
                <time dateTime={report.checkedAt} title={formatDateTime(report.checkedAt, undefined, true)}>
                  {formatDateTime(report.checkedAt, undefined, true)}
                </time>{' '}
                <span className="audit-facts__faint">({formatRelative(report.checkedAt, Math.max(now, Date.parse(report.checkedAt)))})</span>
              </dd>
            </div>
          </dl>
        )}

        {report && eventsSince > 0 && (
          <p className="audit-stale">
            {eventsSince === 1 ? '1 event was' : `${eventsSince.toLocaleString()} events were`} recorded since this check;
            Verify now to include {eventsSince === 1 ? 'it' : 'them'}.
          </p>
        )}

        {report?.firstFailure && (
          <div className="audit-failure" role="alert" data-testid="audit-first-failure">
            <WarningIcon />
            <div>
              <strong>First failure:</strong> device <code>{report.firstFailure.device}</code> at seq{' '}
              <strong>{report.firstFailure.seq}</strong> — {report.firstFailure.reason}. Events after this point on that
              device cannot be trusted until the cause is found; nothing has been changed or repaired.
            </div>
          </div>
        )}

        {problem && (
          <div className="audit-failure" role="alert">
            <WarningIcon />
            <div>
              <strong>The check could not run.</strong> <InlineCode text={problem.message} /> (code <code>{problem.code}</code>)
            </div>
          </div>
        )}
      </section>

      {report && <DeviceTable report={report} />}

      <p className="audit-hint">
        The same check runs from a terminal with <code>warroom verify</code>. <ShortcutHint id="audit" />
      </p>
    </SectionPage>
  );
}

function statusTone(report: VerifyReport | null): 'ok' | 'danger' | 'neutral' {
  if (!report) return 'neutral';
  return report.ok ? 'ok' : 'danger';
}

function DeviceTable({ report }: { report: VerifyReport }) {
  const profile = useApp((s) => s.profile);
  return (
    <div className="table-frame">
      <table className="data-table audit-table">
        <caption className="visually-hidden">Chain status per device</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Person</th>
            <th scope="col" className="num">
              Events
            </th>
            <th scope="col">Chain</th>
          </tr>
        </thead>
        <tbody>
          {report.devices.map((d) => (
            <tr key={d.device} data-testid={`audit-device-${d.device}`}>
              <th scope="row">
                <span className="mono audit-table__id">{d.device}</span>
                {d.self && <span className="badge badge--accent">This device</span>}
                <span className="audit-table__sub">
                  key <span className="mono">{d.fingerprint}</span>
                </span>
              </th>
              <td>
                {d.self && profile ? (
                  <>
                    {profile.name}
                    <span className="audit-table__sub">{ROLE_LABELS[profile.role]}</span>
                  </>
                ) : (
                  // audit.verify names devices, not the people at them.
                  <span className="audit-table__faint">Not known here</span>
                )}
              </td>
              <td className="num">
                {d.events.toLocaleString()}
                <span className="audit-table__sub">head seq {d.headSeq.toLocaleString()}</span>
              </td>
              <td>
                <ChainCell status={d} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChainCell({ status }: { status: DeviceChainStatus }) {
  if (status.ok) return <span className="badge badge--ok">OK</span>;
  return (
    <>
      <span className="badge badge--danger">Broken at seq {status.failure?.seq ?? '?'}</span>
      {status.failure && <span className="audit-table__reason">{status.failure.reason}</span>}
    </>
  );
}
