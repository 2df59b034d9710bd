// Post-mortems: blameless write-ups from the recorded timeline. Empty until one is started.
import { EmptyState } from '../../components/EmptyState.tsx';
import { PostmortemsIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';

export function PostmortemsView() {
  return (
    <SectionPage id="postmortems" summary="Blameless write-ups built from the recorded timeline.">
      <EmptyState
        icon={<PostmortemsIcon size={28} />}
        title="No post-mortems yet"
        capabilities={[
          "Start a blameless post-mortem pre-filled with the release's timeline.",
          'Record causes, impact, what went well and follow-up actions with their owners.',
          'Export it as Markdown, HTML or PDF, with the audit evidence pack for SOX or ISO 27001.',
        ]}
        action={{
          label: 'Write a post-mortem',
          unavailableReason: 'A post-mortem starts from a recorded release; writing them is not built in this version yet.',
        }}
        hint={<ShortcutHint id="postmortems" />}
      >
        <p>
          After an incident or a rollback, write the post-mortem here, starting from what the timeline recorded, so the
          facts arrive in order and attributed.
        </p>
      </EmptyState>
    </SectionPage>
  );
}
