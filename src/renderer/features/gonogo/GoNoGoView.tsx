// Go/No-Go: pick a release, then its board — criteria, sign-offs and the decision. The release
// is part of the address (#gonogo/<release id>), so a wall display can be pointed at one board.
import { EmptyState } from '../../components/EmptyState.tsx';
import { GoNoGoIcon } from '../../components/icons.tsx';
import { ReleasePicker as SharedReleasePicker } from '../../components/ReleasePicker.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { useApp } from '../../state/context.tsx';
import { GoNoGoBoard } from './GoNoGoBoard.tsx';
import './gonogo.css';

export function GoNoGoView() {
  const view = useApp((s) => s.view);
  const release = decodeURIComponent(view.split('/')[0] ?? '');
  return release ? <GoNoGoBoard key={release} release={release} /> : <ReleasePicker />;
}

/** Releases that can still have a go/no-go, those at go/no-go first. */
function ReleasePicker() {
  const navigate = useApp((s) => s.navigate);
  return (
    <SharedReleasePicker
      section="gonogo"
      summary="Pick a release to open its go/no-go board."
      statuses={['planned', 'scheduled', 'go_no_go', 'deploying']}
      first={(r) => r.status === 'go_no_go'}
      onChoose={(r) => navigate('gonogo', { view: encodeURIComponent(r.id) })}
      empty={
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
      }
    />
  );
}
