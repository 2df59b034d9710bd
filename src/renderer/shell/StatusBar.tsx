// The status bar: who is at this device, which device it is, the sync state and whether the
// core (and the network) can be reached. Always visible, including on the wall display.
import { ROLE_LABELS } from '../../shared/domain/people.ts';
import { GoNoGoStatus } from '../features/gonogo/index.ts';
import { SYNC_STATE_TEXT, type Tone } from '../features/sync/index.ts';
import { useApp } from '../state/context.tsx';
import type { CoreLink } from '../state/session.ts';

/** Short form of a device id, enough to tell devices apart at a glance; the full id is in Sync. */
export function shortDeviceId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function connectionText(core: CoreLink, networkOnline: boolean): { label: string; tone: Tone; detail: string } {
  if (core === 'unreachable') {
    return {
      label: 'Core unreachable',
      tone: 'danger',
      detail: 'The War Room core is not answering: changes cannot be saved or received until it is back. Reconnecting…',
    };
  }
  if (core === 'connecting') return { label: 'Connecting…', tone: 'neutral', detail: 'Connecting to the War Room core.' };
  if (!networkOnline) {
    return {
      label: 'Offline — working locally',
      tone: 'warn',
      detail: 'No network: everything is still recorded on this device and shared when the network is back.',
    };
  }
  return { label: 'Online', tone: 'ok', detail: 'Connected to the War Room core and the network.' };
}

export function StatusBar() {
  const info = useApp((s) => s.info);
  const profile = useApp((s) => s.profile);
  const core = useApp((s) => s.connection.core);
  const networkOnline = useApp((s) => s.connection.networkOnline);
  if (!info) return null;

  const sync = SYNC_STATE_TEXT[info.sync.state];
  const link = connectionText(core, networkOnline);

  return (
    <footer className="status-bar" aria-label="Status">
      {profile && (
        <div className="status-bar__item status-bar__person" data-testid="status-person">
          <span className="visually-hidden">Signed in as </span>
          <span className="status-bar__name" title={profile.name}>
            {profile.name}
          </span>
          <span className="status-bar__sep" aria-hidden="true">
            ·
          </span>
          <span className="status-bar__role">{ROLE_LABELS[profile.role]}</span>
        </div>
      )}
      <div
        className="status-bar__item"
        data-testid="status-device"
        title={`Device ${info.device.id}, key fingerprint ${info.device.fingerprint}`}
      >
        <span className="status-bar__key">Device</span>
        <span className="mono">{shortDeviceId(info.device.id)}</span>
        <span className="status-bar__key">key</span>
        <span className="mono">{info.device.fingerprint}</span>
      </div>
      {info.access === 'read' && (
        <div
          className="status-bar__item"
          data-testid="status-access"
          title="Opened with a read-only token: this screen shows the war room but cannot change it."
        >
          <span className="dot dot--warn" aria-hidden="true" />
          Read-only display
        </div>
      )}
      <GoNoGoStatus />
      <div className="status-bar__item" data-testid="status-sync" title={sync.detail}>
        <span className={`dot dot--${sync.tone}`} aria-hidden="true" />
        <span className="visually-hidden">Sync: </span>
        {sync.label}
      </div>
      <div className="status-bar__spacer" />
      {/* Announced politely when it changes: losing the core matters to someone mid-runbook. */}
      <div
        className={`status-bar__item status-bar__link status-bar__link--${link.tone}`}
        data-testid="status-connection"
        role="status"
        title={link.detail}
      >
        <span className={`dot dot--${link.tone}`} aria-hidden="true" />
        {link.label}
      </div>
      <div className="status-bar__item status-bar__version">v{info.version}</div>
    </footer>
  );
}
