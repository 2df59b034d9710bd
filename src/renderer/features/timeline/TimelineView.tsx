// Timeline: everything recorded on a release, newest first, live. The release shown is part of
// the address (`#timeline/<release id>`), so the wall display can be pointed at one.
import { useEffect, useId } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { TimelineIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { useApp } from '../../state/context.tsx';
import { ReleaseTimeline } from './ReleaseTimeline.tsx';

export function TimelineView() {
  const releases = useApp((s) => s.timeline.releases);
  const problem = useApp((s) => s.timeline.problem);
  const load = useApp((s) => s.loadTimelineReleases);
  const loadPeople = useApp((s) => s.loadPeople);
  const view = useApp((s) => s.view);
  const navigate = useApp((s) => s.navigate);
  const pickerId = useId();

  useEffect(() => {
    void load();
    void loadPeople();
  }, [load, loadPeople]);

  // A new release planned elsewhere shows up in the picker.
  const releaseCount = useApp((s) => s.releases.list?.length ?? 0);
  useEffect(() => {
    void load();
  }, [releaseCount, load]);

  const chosenId = decodeURIComponent(view.split('/')[0] ?? '');
  // Without a choice, the release whose window is newest (what a war room is working on).
  const chosen = releases?.find((r) => r.id === chosenId) ?? releases?.[0];

  if (releases !== null && releases.length === 0) {
    return (
      <SectionPage id="timeline" summary="Everything that happened on a release, in order, from every device.">
        <EmptyState
          icon={<TimelineIcon size={28} />}
          title="Nothing recorded yet"
          capabilities={[
            'Follow a release live, on your laptop or on the wall display.',
            'Filter by kind of event or by person.',
            'See who did what from which device, in your time zone and the release’s.',
            <>
              Check that the signed history is intact in Audit, or with <code>warroom verify</code>.
            </>,
          ]}
          hint={<ShortcutHint id="timeline" />}
        >
          <p>
            Every action on a release — a planned window, a lifecycle move, a completed or skipped step, a note, a
            rollback — becomes an entry here, in the order it happened, from every synced device.
          </p>
          <p>Entries are signed and never edited or deleted: a correction is a new entry.</p>
        </EmptyState>
      </SectionPage>
    );
  }

  return (
    <SectionPage id="timeline" summary="Everything that happened on a release, in order, from every device. New entries appear at the top." wide>
      {problem && (
        <p className="notice notice--danger" role="alert">
          The releases could not be loaded: {problem.message}
        </p>
      )}
      {releases === null && !problem && <p role="status">Loading releases…</p>}
      {chosen && (
        <ReleaseTimeline
          key={chosen.id}
          release={chosen.id}
          zone={chosen.window?.zone}
          label={`Timeline of ${chosen.name}`}
          leading={
            <div className="field timeline-picker">
              <label htmlFor={pickerId}>Release</label>
              <select id={pickerId} className="select" value={chosen.id} onChange={(e) => navigate('timeline', { view: encodeURIComponent(e.target.value) })}>
                {(releases ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                    {r.version ? ` ${r.version}` : ''} — {r.statusLabel}
                  </option>
                ))}
              </select>
            </div>
          }
        />
      )}
    </SectionPage>
  );
}
