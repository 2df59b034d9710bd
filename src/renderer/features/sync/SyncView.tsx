// Sync: the shared-folder link between devices. Shows this device's identity already, since
// colleagues compare its fingerprint when they admit it.
import { EmptyState } from '../../components/EmptyState.tsx';
import { SyncIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { useApp } from '../../state/context.tsx';
import { SYNC_STATE_TEXT } from './sync-state.ts';
import './sync.css';

export function SyncView() {
  const info = useApp((s) => s.info);
  if (!info) return null;
  const state = SYNC_STATE_TEXT[info.sync.state];
  const configured = info.sync.state !== 'not_configured';

  const thisDevice = (
    <section className="device-card" aria-labelledby="device-card-title">
      <h3 id="device-card-title">This device</h3>
      <dl>
        <div>
          <dt>Device id</dt>
          <dd className="mono">{info.device.id}</dd>
        </div>
        <div>
          <dt>Key fingerprint</dt>
          <dd className="mono">{info.device.fingerprint}</dd>
        </div>
        <div>
          <dt>Data folder</dt>
          <dd className="mono">{info.dataDir}</dd>
        </div>
        {configured && (
          <div>
            <dt>Shared folder</dt>
            <dd className="mono">{info.sync.folder ?? '—'}</dd>
          </div>
        )}
      </dl>
      <p className="device-card__note">
        Colleagues compare this fingerprint with the one their app shows before admitting this device.
      </p>
    </section>
  );

  return (
    <SectionPage id="sync" summary="Share this device's signed log with colleagues through a shared folder.">
      <EmptyState
        icon={<SyncIcon size={28} />}
        title={state.label}
        capabilities={[
          'Choose a shared folder and see when each device last synced.',
          'Admit a new device after comparing its key fingerprint.',
          'Keep working offline; changes catch up when the folder is back.',
          'See damaged or conflicting files reported, never silently used.',
        ]}
        aside={thisDevice}
        action={
          configured
            ? undefined
            : { label: 'Set up sync', unavailableReason: 'Shared-folder sync is not built in this version yet.' }
        }
        hint={<ShortcutHint id="sync" />}
      >
        <p>{state.detail}</p>
        <p>
          A shared folder can be a network share or a folder kept in step by Dropbox, OneDrive, Google Drive or
          Syncthing. Each device writes only its own signed log there, so nobody&apos;s work is overwritten.
        </p>
      </EmptyState>
    </SectionPage>
  );
}
