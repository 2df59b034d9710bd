// Public face of the releases feature: the shell imports only from here.
export { ReleasesView } from './ReleasesView.tsx';
