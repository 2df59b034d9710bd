// Metrics: post-deployment monitoring and DORA figures. Empty until a metric source is connected.
import { EmptyState } from '../../components/EmptyState.tsx';
import { MetricsIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';

export function MetricsView() {
  return (
    <SectionPage id="metrics" summary="Post-deployment health against baselines, and DORA figures.">
      <EmptyState
        icon={<MetricsIcon size={28} />}
        title="No metric sources connected"
        capabilities={[
          'Connect a Prometheus server and choose the series to watch.',
          'Set rollback thresholds; a crossing raises an alert on the timeline.',
          'See lead time, deployment frequency, change failure rate and time to restore.',
        ]}
        action={{
          label: 'Connect a metric source',
          unavailableReason:
            'Metric sources are not built in this version yet. Their credentials will be kept in the system keychain, never in clear.',
        }}
        hint={<ShortcutHint id="metrics" />}
      >
        <p>
          The 24 to 72 hours after a deployment are watched here: error rate, latency and saturation plotted against
          their baselines, with thresholds that can call for a rollback.
        </p>
      </EmptyState>
    </SectionPage>
  );
}
