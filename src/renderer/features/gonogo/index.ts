// Public face of the gonogo feature: the shell imports only from here.
export { GoNoGoView } from './GoNoGoView.tsx';
export { GoNoGoStatus } from './GoNoGoStatus.tsx';
