// Public face of the metrics feature: the shell imports only from here.
export { MetricsView } from './MetricsView.tsx';
export { AlertBanner } from './AlertBanner.tsx';
