// The alert banner the shell shows above every section: each firing (or data-less) rule of the
// watched release — the one chosen in Metrics, plus any release an alert notice names — with its
// detail, the explanation and "Start rollback". Dismissed alerts come back when they change.
import { useCallback, useEffect, useState } from 'react';
import type { AlertView } from '../../../shared/api/metrics.ts';
import { WarningIcon } from '../../components/icons.tsx';
import { useApp, useClient } from '../../state/context.tsx';
import { RuleExplain } from './RuleExplain.tsx';
import './metrics.css';

interface ReleaseAlerts {
  release: string;
  name: string;
  alerts: AlertView[];
}

const alertKey = (release: string, a: AlertView) => `${release}|${a.rule}|${a.state}|${a.since ?? ''}`;

export function AlertBanner() {
  const client = useClient();
  const chosen = useApp((s) => s.metricsRelease);
  const readOnly = useApp((s) => s.info?.access === 'read');
  const navigate = useApp((s) => s.navigate);
  const [watched, setWatched] = useState<string[]>([]);
  const [byRelease, setByRelease] = useState<Record<string, ReleaseAlerts>>({});
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set());

  const load = useCallback(
    async (release: string) => {
      try {
        const view = await client.call('metrics.view', { release });
        setByRelease((old) => ({ ...old, [release]: { release, name: `${view.release.name} ${view.release.version}`, alerts: view.alerts } }));
      } catch {
        // A release that is gone or a core without metrics yet: nothing to warn about here.
        setByRelease((old) => {
          const next = { ...old };
          delete next[release];
          return next;
        });
      }
    },
    [client],
  );

  const releases = [...new Set([...(chosen ? [chosen] : []), ...watched])];
  const releasesKey = releases.join('\n');

  useEffect(() => {
    // After the effect, not inside it: each load sets state when its answer arrives.
    void Promise.resolve().then(() => Promise.all(releasesKey.split('\n').filter(Boolean).map(load)));
  }, [releasesKey, load]);

  useEffect(
    () =>
      client.subscribe((notice) => {
        if (notice.topic === 'alert') {
          setWatched((w) => (w.includes(notice.release) ? w : [...w, notice.release]));
          void load(notice.release);
        } else if (notice.topic === 'metrics' && releasesKey.split('\n').includes(notice.release)) void load(notice.release);
      }),
    [client, load, releasesKey],
  );

  const shown = releases.flatMap((r) => (byRelease[r]?.alerts ?? []).map((a) => ({ release: r, name: byRelease[r]!.name, alert: a }))).filter((x) => !dismissed.has(alertKey(x.release, x.alert)));
  if (shown.length === 0) return null;

  return (
    <div className="metrics-alerts" aria-label="Metric alerts">
      {shown.map(({ release, name, alert }) => (
        <AlertRow
          key={alertKey(release, alert)}
          release={release}
          name={name}
          alert={alert}
          readOnly={readOnly}
          onOpen={() => navigate('metrics', { view: encodeURIComponent(release) })}
          onDismiss={() => setDismissed((d) => new Set(d).add(alertKey(release, alert)))}
        />
      ))}
    </div>
  );
}

function AlertRow({ release, name, alert, readOnly, onOpen, onDismiss }: { release: string; name: string; alert: AlertView; readOnly: boolean; onOpen(): void; onDismiss(): void }) {
  const client = useClient();
  const [explain, setExplain] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const firing = alert.state === 'firing';
  const reasonId = `rollback-why-${alert.rule}`;
  const rollback = async () => {
    try {
      await client.call('rollback.start', { release, reason: `Alert: ${alert.title} — ${alert.detail}` });
      setResult({ ok: true, text: 'Rollback started: follow it in the release’s runbook.' });
    } catch (error) {
      setResult({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };
  const cannot = readOnly ? 'This display is read-only.' : !alert.rollbackAvailable ? 'No rollback is available: the runbook has no rollback section, or a rollback is already running.' : null;

  return (
    <section className={`banner metrics-alert ${firing ? 'banner--danger' : 'metrics-alert--nodata'}`} role="alert" data-testid="metric-alert" data-rule={alert.rule} data-state={alert.state}>
      <WarningIcon />
      <div className="metrics-alert__body">
        <p>
          <strong>{firing ? 'Alert firing' : 'No data'}: {alert.title}</strong> <span className="metrics-muted">· {name}</span>
        </p>
        <p>{alert.detail}</p>
        <div className="metrics-alert__actions">
          <button type="button" className="button button--small" aria-expanded={explain} onClick={() => setExplain((e) => !e)}>
            Explain
          </button>
          <button
            type="button"
            className="button button--small button--danger-solid"
            aria-disabled={cannot ? true : undefined}
            aria-describedby={cannot ? reasonId : undefined}
            onClick={() => {
              if (!cannot) void rollback();
            }}
          >
            Start rollback
          </button>
          <button type="button" className="button button--small button--quiet" onClick={onOpen}>
            Open metrics
          </button>
          <button type="button" className="button button--small button--quiet" onClick={onDismiss} aria-label={`Dismiss alert ${alert.title} until it changes`}>
            Dismiss
          </button>
        </div>
        {cannot && (
          <p id={reasonId} className="metrics-muted">
            {cannot}
          </p>
        )}
        {result && <p className={result.ok ? 'metrics-ok-text' : 'field__error'}>{result.text}</p>}
        {explain && <RuleExplain evidence={alert.evidence} />}
      </div>
    </section>
  );
}
