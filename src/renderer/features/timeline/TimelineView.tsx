// Timeline: every recorded event in order, across devices. Empty until events are recorded.
import { EmptyState } from '../../components/EmptyState.tsx';
import { TimelineIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';

export function TimelineView() {
  return (
    <SectionPage id="timeline" summary="Everything that happened, in order, from every device.">
      <EmptyState
        icon={<TimelineIcon size={28} />}
        title="Nothing recorded yet"
        capabilities={[
          'Follow a release live, on your laptop or on the wall display.',
          'Filter by release, person, device or kind of event.',
          'Post status updates to the communication log.',
          <>
            Check that the signed history is intact with <code>warroom verify</code>.
          </>,
        ]}
        hint={<ShortcutHint id="timeline" />}
      >
        <p>
          Every action — a completed step, a sign-off, a decision, a metric alert, a status update — becomes an entry
          here, in the order it happened, from every synced device.
        </p>
        <p>Entries are signed and never edited or deleted: a correction is a new entry.</p>
      </EmptyState>
    </SectionPage>
  );
}
