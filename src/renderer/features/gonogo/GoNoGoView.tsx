// Go/No-Go: quality gates, sign-offs and the decision. Empty until there is a release to decide on.
import { EmptyState } from '../../components/EmptyState.tsx';
import { GoNoGoIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';

export function GoNoGoView() {
  return (
    <SectionPage id="gonogo" summary="Quality gates, criteria and sign-offs behind the decision to ship.">
      <EmptyState
        icon={<GoNoGoIcon size={28} />}
        title="No decision in progress"
        capabilities={[
          'Check quality gates — tests, security scan, change approval — for a release.',
          'Collect sign-offs from approvers; nobody can approve a change they deploy themselves.',
          'Record the go or no-go decision with its reasons; conflicting decisions are flagged, never merged silently.',
        ]}
        action={{
          label: 'Start a go/no-go',
          unavailableReason: 'A go/no-go needs a release to decide on, and release planning is not built yet.',
        }}
        hint={<ShortcutHint id="gonogo" />}
      >
        <p>
          As a release approaches its window, its criteria and quality gates appear here with who has signed each one,
          and the coordinator records the final decision.
        </p>
      </EmptyState>
    </SectionPage>
  );
}
