// Releases: the calendar of release windows. Empty until release planning lands.
import { EmptyState } from '../../components/EmptyState.tsx';
import { ReleasesIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';

export function ReleasesView() {
  return (
    <SectionPage id="releases" summary="Release windows, their scope, type and owner, on one calendar.">
      <EmptyState
        icon={<ReleasesIcon size={28} />}
        title="No releases yet"
        capabilities={[
          'Plan a release: its window, scope, owner and type — major, minor, patch or emergency.',
          'Classify the change as standard, normal or emergency and attach the approval it needs.',
          'Spot blackout periods and clashing windows across time zones before committing to a date.',
          'Follow each release from planned to deployed, rolled back or cancelled.',
        ]}
        action={{
          label: 'Plan a release',
          unavailableReason:
            'Release planning is not built in this version yet. Your profile and this device are set up, so releases planned later are recorded under your name.',
        }}
        hint={<ShortcutHint id="releases" />}
      >
        <p>
          Plan a release window, its scope and owner. Every planned release will be listed here with its window, type
          and status, so the whole room sees what ships when.
        </p>
      </EmptyState>
    </SectionPage>
  );
}
