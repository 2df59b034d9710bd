// Sync: the shared-folder link between devices — choosing the folder (a refusal explained by
// its reason), its state and last successful sync, "Sync now", this device's identity and
// admission, the peer devices with who admitted them, Admit and Revoke, and every problem the
// engine reports with what to do about it (a lost log offers the §1.7 repair).
import { useId, useState, type FormEvent } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SyncIcon, WarningIcon } from '../../components/icons.tsx';
import { InlineCode } from '../../components/InlineCode.tsx';
import { PromptDialog, type PromptRequest } from '../../components/PromptDialog.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { formatDateTime, formatRelative } from '../../format/time.ts';
import { useNow } from '../../hooks/useNow.ts';
import { useApp, useClient } from '../../state/context.tsx';
import type { Problem } from '../../state/session.ts';
import { describeAdmitter, describeCompaction, type PeerStatus, type SetupRefusal, type SyncProblem, type SyncStatus } from '../../../shared/sync/status.ts';
import { RepairDialog } from './RepairDialog.tsx';
import { ADMISSION_TEXT, PROBLEM_TITLE, REPAIRABLE, SETUP_REFUSAL_TEXT, SEVERITY_TEXT, SYNC_STATE_TEXT } from './sync-state.ts';
import { useSyncStatus, type SyncStatusState } from './use-sync.ts';
import './sync.css';

export function SyncView() {
  const info = useApp((s) => s.info);
  const sync = useSyncStatus();
  if (!info) return null;
  const readOnly = info.access === 'read';
  // app.info answers first; the full status follows and wins once it is here.
  const state = sync.status?.state ?? info.sync.state;
  const configured = state !== 'not_configured';

  if (!configured) {
    return (
      <SectionPage id="sync" summary="Share this device's signed log with colleagues through a shared folder.">
        <EmptyState
          icon={<SyncIcon size={28} />}
          title={SYNC_STATE_TEXT.not_configured.label}
          capabilities={[
            'Choose a shared folder and see when each device last synced.',
            'Admit a new device after comparing its key fingerprint.',
            'Keep working offline; changes catch up when the folder is back.',
            'See damaged or conflicting files reported, never silently used.',
          ]}
          aside={
            <>
              {readOnly ? (
                <p className="sync-readonly">This display is read-only: sync is set up at the war room laptop.</p>
              ) : (
                <SetupForm sync={sync} first />
              )}
              <DeviceCard status={sync.status} />
            </>
          }
          hint={<ShortcutHint id="sync" />}
        >
          <p>{SYNC_STATE_TEXT.not_configured.detail}</p>
          <p>
            A shared folder can be a network share or a folder kept in step by Dropbox, OneDrive, Google Drive or
            Syncthing. Each device writes only its own signed log there, so nobody&apos;s work is overwritten.
          </p>
        </EmptyState>
      </SectionPage>
    );
  }

  return <ConfiguredSync sync={sync} readOnly={readOnly} />;
}

function ConfiguredSync({ sync, readOnly }: { sync: SyncStatusState; readOnly: boolean }) {
  const info = useApp((s) => s.info);
  const client = useClient();
  const now = useNow(10_000);
  const [running, setRunning] = useState(false);
  const [syncProblem, setSyncProblem] = useState<Problem | null>(null);
  const [prompt, setPrompt] = useState<PromptRequest | null>(null);
  const [repairing, setRepairing] = useState<string | null>(null);
  const status = sync.status;
  const state = status?.state ?? info?.sync.state ?? 'in_step';
  const text = SYNC_STATE_TEXT[state];
  const folder = status?.folder ?? info?.sync.folder ?? null;
  const lastSyncAt = status?.lastSyncAt ?? info?.sync.lastSyncAt ?? null;

  const syncNow = async () => {
    if (running) return;
    setRunning(true);
    setSyncProblem(await sync.act(() => client.call('sync.now', {})));
    setRunning(false);
  };

  const actions = readOnly ? null : (
    <button type="button" className="button button--primary" onClick={() => void syncNow()} aria-disabled={running || undefined} data-testid="sync-now">
      {running ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
      {running ? 'Syncing…' : 'Sync now'}
    </button>
  );

  return (
    <SectionPage id="sync" summary="Share this device's signed log with colleagues through a shared folder." actions={actions}>
      <section className="sync-summary panel" aria-labelledby="sync-state">
        <div className="sync-summary__head">
          <span className={`sync-summary__icon sync-summary__icon--${text.tone}`}>
            {text.tone === 'danger' || text.tone === 'warn' ? <WarningIcon size={28} /> : <SyncIcon size={28} />}
          </span>
          <div className="sync-summary__text">
            <h2 id="sync-state" data-testid="sync-state" data-state={state}>
              {text.label}
            </h2>
            <p className="sync-summary__line" role="status">
              {running ? 'Exchanging changes with the shared folder…' : text.detail}
            </p>
          </div>
        </div>
        <dl className="sync-facts">
          <div>
            <dt>Shared folder</dt>
            <dd className="mono" data-testid="sync-folder">
              {folder ?? '—'}
            </dd>
          </div>
          <div>
            <dt>Last successful sync</dt>
            <dd data-testid="sync-last">
              {lastSyncAt ? (
                <time dateTime={lastSyncAt} title={formatDateTime(lastSyncAt, undefined, true)}>
                  {formatRelative(lastSyncAt, Math.max(now, Date.parse(lastSyncAt)))}
                </time>
              ) : (
                'Not yet'
              )}
            </dd>
          </div>
          {status && (
            <>
              <div>
                <dt>Looks for changes</dt>
                <dd>
                  every {formatPoll(status.pollMs)}
                  {status.watching ? ' and on file notifications' : ''}
                </dd>
              </div>
              <div>
                <dt>Not yet in the folder</dt>
                <dd>{status.unpublished === 1 ? '1 event' : `${status.unpublished.toLocaleString()} events`}</dd>
              </div>
              {status.compaction && (
                <div>
                  <dt>Merging small segments</dt>
                  <dd data-testid="sync-compaction" title="Small segments of this device are merged into one file; the old files stay through the grace period so slow sync clients catch up.">
                    {describeCompaction(status.compaction)}
                  </dd>
                </div>
              )}
            </>
          )}
        </dl>
        {syncProblem && (
          <p className="notice notice--danger" role="alert">
            <strong>Sync did not run.</strong> <InlineCode text={syncProblem.message} />
          </p>
        )}
        {sync.problem && (
          <p className="notice notice--danger" role="alert">
            <strong>The sync status could not be read.</strong> <InlineCode text={sync.problem.message} />
          </p>
        )}
      </section>

      <div className="sync-columns">
        <DeviceCard status={status} />
        {!readOnly && (
          <details className="sync-change panel">
            <summary>Use another shared folder</summary>
            <SetupForm sync={sync} first={false} />
          </details>
        )}
      </div>

      {status && <PeerTable status={status} readOnly={readOnly} now={now} act={sync.act} onPrompt={setPrompt} />}
      {status && <ProblemList problems={status.problems} onRepair={readOnly ? null : setRepairing} />}

      <p className="sync-hint">
        The same status prints from a terminal with <code>warroom sync status</code>. <ShortcutHint id="sync" />
      </p>
      <PromptDialog request={prompt} onClose={() => setPrompt(null)} />
      <RepairDialog device={repairing} onClose={() => setRepairing(null)} />
    </SectionPage>
  );
}

function formatPoll(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toLocaleString(undefined, { maximumFractionDigits: 2 })} s`;
}

/** A path typed in (a browser has no folder picker); the core initialises, joins or refuses it. */
function SetupForm({ sync, first }: { sync: SyncStatusState; first: boolean }) {
  const client = useClient();
  const loadInfo = useApp((s) => s.loadInfo);
  const ids = { field: useId(), hint: useId(), error: useId() };
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const folder = path.trim();
    if (!folder) {
      setRefused({ code: 'invalid_input', message: 'Type the path of the shared folder.' });
      return;
    }
    setBusy(true);
    setDone(null);
    let result: SyncStatus | null = null;
    const problem = await sync.act(async () => (result = await client.call('sync.setup', { folder })));
    setBusy(false);
    setRefused(problem);
    if (!problem && result) {
      setDone(describeSetup(result));
      void loadInfo();
    }
  };

  return (
    <form className="sync-setup" onSubmit={(e) => void submit(e)} noValidate aria-label={first ? 'Set up sync' : 'Use another shared folder'}>
      {first && <h3>Set up sync</h3>}
      <div className="field">
        <label htmlFor={ids.field}>Shared folder path</label>
        <div className="sync-setup__row">
          <input
            id={ids.field}
            className="input mono"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="/Volumes/warroom or \\server\share\warroom"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            aria-invalid={refused ? true : undefined}
            aria-describedby={[ids.hint, refused ? ids.error : ''].filter(Boolean).join(' ')}
          />
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
            {busy ? 'Checking…' : 'Use this folder'}
          </button>
        </div>
        <span className="field__hint" id={ids.hint}>
          An empty folder starts a new war room here; the war room&apos;s existing folder is joined and its history
          pulled. Anything else is refused and left untouched.
        </span>
      </div>
      {refused && (
        <div className="notice notice--danger sync-setup__refused" role="alert" id={ids.error} data-testid="sync-setup-refused" data-reason={refused.reason}>
          <strong>{refusalText(refused).title}</strong> <InlineCode text={refused.message} />
          {refusalText(refused).hint && (
            <p className="sync-setup__hint" data-testid="sync-setup-hint">
              {refusalText(refused).hint}
            </p>
          )}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="sync-setup-done">
          {done}
        </p>
      )}
    </form>
  );
}

/** The title and hint by the core's reason; a refusal without one (bad input) gets a plain title. */
function refusalText(problem: Problem): { title: string; hint: string | null } {
  const known = problem.reason && Object.hasOwn(SETUP_REFUSAL_TEXT, problem.reason) ? SETUP_REFUSAL_TEXT[problem.reason as SetupRefusal] : null;
  return known ?? { title: 'This folder was refused.', hint: null };
}

function describeSetup(status: SyncStatus): string {
  const others = status.peers.filter((p) => p.admission !== 'self' && p.id !== status.device.id).length;
  if (status.device.admission === 'waiting') {
    return `Joined the war room in ${status.folder ?? 'the folder'}. This device is waiting for admission: ask a coordinator to compare its fingerprint ${status.device.fingerprint}.`;
  }
  if (others > 0) return `Joined the war room in ${status.folder ?? 'the folder'}.`;
  return `${status.folder ?? 'The folder'} is now this war room's shared folder. Other devices join by choosing it.`;
}

function DeviceCard({ status }: { status: SyncStatus | null }) {
  const info = useApp((s) => s.info);
  if (!info) return null;
  const admission = status?.device.admission ?? null;
  return (
    <section className="device-card" aria-labelledby="device-card-title" data-testid="sync-this-device">
      <h3 id="device-card-title">This device</h3>
      <dl>
        <div>
          <dt>Device id</dt>
          <dd className="mono">{info.device.id}</dd>
        </div>
        <div>
          <dt>Key fingerprint</dt>
          <dd className="mono" data-testid="sync-own-fingerprint">
            {info.device.fingerprint}
          </dd>
        </div>
        <div>
          <dt>Data folder</dt>
          <dd className="mono">{info.dataDir}</dd>
        </div>
        {admission && admission !== 'self' && (
          <div>
            <dt>Standing</dt>
            <dd data-testid="sync-own-admission">
              <span className={`badge badge--${admission === 'admitted' ? 'ok' : ADMISSION_TEXT[admission].tone}`}>
                {admission === 'admitted' ? 'Admitted' : ADMISSION_TEXT[admission].label}
              </span>
            </dd>
          </div>
        )}
      </dl>
      {admission === 'waiting' ? (
        <p className="notice notice--warn device-card__waiting">
          Waiting for admission. Ask a coordinator on an admitted device to open Sync and compare this fingerprint,{' '}
          <strong className="mono">{info.device.fingerprint}</strong>, with the one shown there before admitting it. Until
          then your changes are stored by the others but not counted.
        </p>
      ) : (
        <p className="device-card__note">
          Colleagues compare this fingerprint with the one their app shows before admitting this device.
        </p>
      )}
    </section>
  );
}

interface PeerTableProps {
  status: SyncStatus;
  readOnly: boolean;
  now: number;
  act: SyncStatusState['act'];
  onPrompt(request: PromptRequest): void;
}

function PeerTable({ status, readOnly, now, act, onPrompt }: PeerTableProps) {
  const client = useClient();
  const [refusal, setRefusal] = useState<{ device: string; problem: Problem } | null>(null);
  const peers = status.peers.filter((p) => p.id !== status.device.id && p.admission !== 'self');
  // Only an admitted device may admit or revoke others (the core says so too).
  const mayDecide = !readOnly && status.device.admission !== 'waiting' && status.device.admission !== 'revoked';

  const admit = async (peer: PeerStatus) => {
    const problem = await act(() => client.call('sync.admit', { device: peer.id }));
    setRefusal(problem ? { device: peer.id, problem } : null);
  };

  const revoke = (peer: PeerStatus) =>
    onPrompt({
      title: `Revoke device ${peer.id}?`,
      description: (
        <>
          {peer.person ? `${peer.person}’s device, key ${peer.fingerprint ?? 'unknown'}. ` : ''}Events it writes from now on
          are kept but no longer counted. The reason is recorded with the revocation.
        </>
      ),
      label: 'Reason',
      submitLabel: 'Revoke device',
      requiredMessage: 'Give a reason: it is recorded with the revocation.',
      danger: true,
      onSubmit: (reason) => act(() => client.call('sync.revoke', { device: peer.id, reason })),
    });

  return (
    <section className="sync-peers" aria-labelledby="sync-peers-title">
      <h2 id="sync-peers-title" className="sync-section-title">
        Other devices
      </h2>
      {peers.length === 0 ? (
        <p className="panel panel__empty">
          No other device has used this folder yet. On the other laptop, open Sync and choose the same shared folder; it
          appears here waiting for admission.
        </p>
      ) : (
        <div className="table-frame">
          <table className="data-table sync-table">
            <caption className="visually-hidden">Devices sharing this folder</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Person</th>
                <th scope="col">Standing</th>
                <th scope="col">Last seen</th>
                <th scope="col" className="num">
                  Events applied
                </th>
                {mayDecide && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {peers.map((p) => (
                <tr key={p.id} data-testid={`sync-peer-${p.id}`}>
                  <th scope="row">
                    <span className="mono sync-table__id">{p.id}</span>
                    <span className="sync-table__sub">
                      key <span className="mono">{p.fingerprint ?? 'not published yet'}</span>
                    </span>
                  </th>
                  <td className="sync-table__person">{p.person ?? <span className="sync-table__faint">Not known yet</span>}</td>
                  <td>
                    <span className={`badge badge--${ADMISSION_TEXT[p.admission].tone}`} data-testid="sync-peer-admission">
                      {ADMISSION_TEXT[p.admission].label}
                    </span>
                    <TrustDetails status={status} peer={p} />
                  </td>
                  <td>
                    {p.lastSeen ? (
                      <time dateTime={p.lastSeen} title={`${formatDateTime(p.lastSeen, undefined, true)} (its own clock)`}>
                        {formatRelative(p.lastSeen, Math.max(now, Date.parse(p.lastSeen)))}
                      </time>
                    ) : (
                      <span className="sync-table__faint">Never</span>
                    )}
                  </td>
                  <td className="num" data-testid="sync-peer-events">
                    {p.eventsApplied.toLocaleString()}
                    {p.published !== null && p.published !== p.eventsApplied && (
                      <span className="sync-table__sub">of {p.published.toLocaleString()} in the folder</span>
                    )}
                  </td>
                  {mayDecide && (
                    <td className="sync-table__actions">
                      {p.admission === 'waiting' && (
                        <button
                          type="button"
                          className="button button--small button--primary"
                          aria-label={`Admit device ${p.id} with fingerprint ${p.fingerprint ?? 'unknown'}`}
                          onClick={() => void admit(p)}
                        >
                          Admit
                        </button>
                      )}
                      {p.admission !== 'revoked' && (
                        <button type="button" className="button button--small button--danger" aria-label={`Revoke device ${p.id}`} onClick={() => revoke(p)}>
                          Revoke…
                        </button>
                      )}
                      {refusal?.device === p.id && (
                        <span className="field__error" role="alert">
                          <InlineCode text={refusal.problem.message} />
                        </span>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {peers.some((p) => p.admission === 'waiting') && mayDecide && (
        <p className="sync-hint">
          Before admitting, compare the fingerprint above with the one shown under “This device” on the other laptop.
        </p>
      )}
    </section>
  );
}

/** Who admitted the device and, when revoked, why — not just the word. */
function TrustDetails({ status, peer }: { status: SyncStatus; peer: PeerStatus }) {
  const admitter = describeAdmitter(status, peer.admittedBy);
  return (
    <>
      {admitter && (
        <span className="sync-table__sub" data-testid="sync-peer-admitted-by">
          {peer.admittedBy === 'genesis' ? admitter : `admitted by ${admitter}`}
        </span>
      )}
      {peer.admission === 'revoked' && (
        <span className="sync-table__sub sync-table__revoked" data-testid="sync-peer-revoked">
          revoked: {peer.revokedReason ?? 'no reason recorded'}
        </span>
      )}
    </>
  );
}

function ProblemList({ problems, onRepair }: { problems: SyncProblem[]; onRepair: ((device: string) => void) | null }) {
  return (
    <section className="sync-problems" aria-labelledby="sync-problems-title">
      <h2 id="sync-problems-title" className="sync-section-title">
        Problems
      </h2>
      {problems.length === 0 ? (
        <p className="panel panel__empty" data-testid="sync-no-problems">
          None: every file in the shared folder could be used.
        </p>
      ) : (
        <ul className="sync-problem-list" data-testid="sync-problems">
          {problems.map((p, i) => (
            // Problems have no id; the list is rebuilt on every pass, so position plus code is enough.
            <li key={`${i}-${p.code}`} className={`sync-problem sync-problem--${SEVERITY_TEXT[p.severity].tone}`}>
              <div className="sync-problem__head">
                <span className={`badge badge--${SEVERITY_TEXT[p.severity].tone}`}>{SEVERITY_TEXT[p.severity].label}</span>
                <strong>{PROBLEM_TITLE[p.code]}</strong>
                {(p.file || p.device) && (
                  <span className="sync-problem__where mono">
                    {[p.file && `${p.file}${p.line ? `:${p.line}` : ''}`, p.device && `device ${p.device}${p.seq ? ` seq ${p.seq}` : ''}`]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                )}
              </div>
              <p className="sync-problem__message">
                <InlineCode text={p.message} />
              </p>
              <p className="sync-problem__action">
                <span className="sync-problem__label">What to do:</span> {p.action}
              </p>
              {onRepair && p.device && REPAIRABLE.includes(p.code) && (
                <p className="sync-problem__repair">
                  <button type="button" className="button button--small" aria-label={`Repair the shared folder for device ${p.device}…`} onClick={() => onRepair(p.device!)}>
                    Repair…
                  </button>{' '}
                  <span className="sync-problem__label">Writes back the events this device holds, after you confirm.</span>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
