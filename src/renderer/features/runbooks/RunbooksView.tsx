// Runbooks: deployment and rollback checklists that work offline. Empty until runbooks land.
import { EmptyState } from '../../components/EmptyState.tsx';
import { RunbooksIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';

export function RunbooksView() {
  return (
    <SectionPage id="runbooks" summary="Step-by-step checklists for deploying and rolling back, usable offline.">
      <EmptyState
        icon={<RunbooksIcon size={28} />}
        title="No runbooks yet"
        capabilities={[
          'Work through a deployment as a checklist, with who completed each step and when.',
          'Attach notes and evidence, such as command output or screenshots, to each step.',
          'Trigger the rollback runbook and track the time to restore against its target.',
          'Import runbooks written elsewhere; a faulty one is refused with the line at fault.',
        ]}
        action={{
          label: 'New runbook',
          unavailableReason: 'Writing and running runbooks is not built in this version yet.',
        }}
        hint={<ShortcutHint id="runbooks" />}
      >
        <p>
          A runbook is the ordered list of steps for a deployment or a rollback. Steps you complete are saved on this
          device first, so a runbook keeps working in a data centre, on a plane or with the VPN down.
        </p>
      </EmptyState>
    </SectionPage>
  );
}
