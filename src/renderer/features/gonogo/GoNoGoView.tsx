// Go/No-Go: pick a release, then its board — criteria, sign-offs and the decision. The release
// is part of the address (#gonogo/<release id>), so a wall display can be pointed at one board.
import { useEffect, useState } from 'react';
import type { ReleaseSummary } from '../../../shared/api/releases.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { GoNoGoIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { useApp, useClient } from '../../state/context.tsx';
import { GoNoGoBoard } from './GoNoGoBoard.tsx';
import './gonogo.css';

export function GoNoGoView() {
  const view = useApp((s) => s.view);
  const release = decodeURIComponent(view.split('/')[0] ?? '');
  return release ? <GoNoGoBoard key={release} release={release} /> : <ReleasePicker />;
}

/** Releases that can still have a go/no-go, those at go/no-go first. */
function ReleasePicker() {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const [releases, setReleases] = useState<ReleaseSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      client
        .call('release.list', { status: ['planned', 'scheduled', 'go_no_go', 'deploying'] })
        .then((list) => live && setReleases([...list].sort((a, b) => Number(b.status === 'go_no_go') - Number(a.status === 'go_no_go'))))
        .catch((error: unknown) => live && setProblem(error instanceof Error ? error.message : String(error)));
    void load();
    const stop = client.subscribe((notice) => {
      if (notice.topic === 'events' && notice.entities.some((e) => e.kind === 'release')) void load();
    });
    return () => {
      live = false;
      stop();
    };
  }, [client]);

  if (releases !== null && releases.length === 0) {
    return (
      <SectionPage id="gonogo" summary="Quality gates, criteria and sign-offs behind the decision to ship.">
        <EmptyState
          icon={<GoNoGoIcon size={28} />}
          title="No release to decide on"
          capabilities={[
            'Answer the release-readiness checklist, with evidence, criterion by criterion.',
            'Collect sign-offs per role; nobody can approve a change they created, deploy or authored.',
            'Record go, no-go or go with conditions, with what the decision rested on.',
          ]}
          hint={<ShortcutHint id="gonogo" />}
        >
          <p>Plan a release in Releases; its go/no-go board appears here.</p>
        </EmptyState>
      </SectionPage>
    );
  }

  return (
    <SectionPage id="gonogo" summary="Pick a release to open its go/no-go board.">
      {problem && (
        <p className="gonogo-error" role="alert">
          {problem}
        </p>
      )}
      {releases === null && !problem && <p className="gonogo-muted">Loading releases…</p>}
      {releases && (
        <ul className="gonogo-picker" aria-label="Releases">
          {releases.map((r) => (
            <li key={r.id}>
              <button type="button" className="gonogo-picker__item" onClick={() => navigate('gonogo', { view: encodeURIComponent(r.id) })}>
                <span className="gonogo-picker__name">
                  {r.name} <span className="gonogo-muted">{r.version}</span>
                </span>
                <span className={`badge ${r.status === 'go_no_go' ? 'badge--accent' : 'badge--neutral'}`}>{r.statusLabel}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </SectionPage>
  );
}
