// Public face of the runbooks feature: the shell imports only from here.
export { RunbooksView } from './RunbooksView.tsx';
