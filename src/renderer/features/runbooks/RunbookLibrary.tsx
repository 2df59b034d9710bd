// The runbook library: every template with its current version, size and rollback target, and
// the ways in — import a file, start a new one.
import { useEffect } from 'react';
import { RunbooksIcon } from '../../components/icons.tsx';
import { SectionPage, ShortcutHint } from '../../components/SectionPage.tsx';
import { formatDateTime, formatSeconds } from '../../format/time.ts';
import { useApp } from '../../state/context.tsx';

export function RunbookLibrary() {
  const library = useApp((s) => s.runbooks.library);
  const problem = useApp((s) => s.runbooks.libraryProblem);
  const loadLibrary = useApp((s) => s.loadLibrary);
  const navigate = useApp((s) => s.navigate);
  const readOnly = useApp((s) => s.info?.access === 'read');

  useEffect(() => {
    void loadLibrary();
  }, [loadLibrary]);

  const actions = readOnly ? null : (
    <>
      <button type="button" className="button" onClick={() => navigate('runbooks', { view: 'new' })}>
        New runbook
      </button>
      <button type="button" className="button button--primary" onClick={() => navigate('runbooks', { view: 'import' })}>
        Import runbook
      </button>
    </>
  );
  const open = (id: string) => navigate('runbooks', { view: encodeURIComponent(id) });

  if (library !== null && library.length === 0) {
    return (
      <SectionPage id="runbooks" summary="Reusable, versioned checklists: deployment, verification and rollback.">
        <div className="empty-state">
          <div className="empty-state__icon">
            <RunbooksIcon size={28} />
          </div>
          <h2 className="empty-state__title">No runbooks yet</h2>
          <div className="empty-state__body">
            <p>
              Import a runbook you already have — Markdown with task lists or headings, a wiki page, or YAML — or write
              one here. Each save is a new version; a release keeps the version it was given.
            </p>
          </div>
          {actions && <div className="empty-state__action">{actions}</div>}
          <p className="empty-state__hint">
            <ShortcutHint id="runbooks" />
          </p>
        </div>
      </SectionPage>
    );
  }

  return (
    <SectionPage id="runbooks" summary="Reusable, versioned checklists: deployment, verification and rollback." actions={actions} wide>
      {problem && (
        <p className="notice notice--danger" role="alert">
          The library could not be loaded: {problem.message}
        </p>
      )}
      {library === null && !problem && <p role="status">Loading the library…</p>}
      {library !== null && library.length > 0 && (
        <div className="table-frame">
          <table className="data-table">
            <caption className="visually-hidden">Runbook templates ({library.length})</caption>
            <thead>
              <tr>
                <th scope="col">Runbook</th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col" className="num">
                  Steps
                </th>
                <th scope="col">Rollback target</th>
                <th scope="col">Last saved</th>
              </tr>
            </thead>
            <tbody>
              {library.map((t) => (
                <tr key={t.id} data-testid="template-row">
                  <th scope="row">
                    <a
                      href={`#runbooks/${encodeURIComponent(t.id)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        open(t.id);
                      }}
                    >
                      {t.title}
                    </a>
                    {(t.services.length > 0 || t.tags.length > 0) && (
                      <span className="release-table__sub">{[...t.services, ...t.tags.map((tag) => `#${tag}`)].join(' · ')}</span>
                    )}
                    {t.conflict && <span className="badge badge--warn">two versions saved at once</span>}
                  </th>
                  <td className="num">
                    v{t.version}
                    {t.versions > 1 && <span className="release-table__sub">{t.versions} versions</span>}
                  </td>
                  <td className="num">
                    {t.steps}
                    <span className="release-table__sub">
                      {t.sections} section{t.sections === 1 ? '' : 's'}
                    </span>
                  </td>
                  <td>{t.rollbackTarget !== null ? formatSeconds(t.rollbackTarget) : <span className="release-table__faint">none</span>}</td>
                  <td>
                    {formatDateTime(t.updatedAt)}
                    <span className="release-table__sub">{t.updatedBy.name}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SectionPage>
  );
}
