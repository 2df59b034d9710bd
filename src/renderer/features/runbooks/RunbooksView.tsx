// Runbooks: the template library, importing, and the editor, chosen by the page path after
// `#runbooks/` ('' library, 'import', 'new', or a template id).
import { useApp } from '../../state/context.tsx';
import { RunbookEditor } from './RunbookEditor.tsx';
import { RunbookImport } from './RunbookImport.tsx';
import { RunbookLibrary } from './RunbookLibrary.tsx';
import './runbooks.css';

export function RunbooksView() {
  const view = useApp((s) => s.view);
  const page = decodeURIComponent(view.split('/')[0] ?? '');
  if (page === '') return <RunbookLibrary />;
  if (page === 'import') return <RunbookImport />;
  if (page === 'new') return <RunbookEditor />;
  return <RunbookEditor key={page} id={page} />;
}
