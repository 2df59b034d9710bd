// Public face of the postmortems feature: the shell imports only from here.
export { PostmortemsView } from './PostmortemsView.tsx';
