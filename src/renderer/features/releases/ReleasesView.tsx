// Releases: the list, planning and editing a release, a release's page and its runbook runner,
// chosen by the page path after `#releases/`.
import { RunnerView } from '../runbooks/index.ts';
import { useApp } from '../../state/context.tsx';
import { ReleaseForm } from './ReleaseForm.tsx';
import { ReleaseList } from './ReleaseList.tsx';
import { ReleasePage } from './ReleasePage.tsx';
import { parseReleasesView } from './routes.ts';
import './releases.css';

export function ReleasesView() {
  const view = useApp((s) => s.view);
  const route = parseReleasesView(view);
  switch (route.page) {
    case 'list':
      return <ReleaseList />;
    case 'new':
      return <ReleaseForm />;
    case 'edit':
      return <ReleaseForm key={route.id} id={route.id} />;
    case 'release':
      return <ReleasePage key={route.id} id={route.id} />;
    case 'run':
      return <RunnerView key={route.run} release={route.id} run={route.run} />;
  }
}
