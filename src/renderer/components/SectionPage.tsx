// The frame of every section: its heading (the target of keyboard jumps) and a one-line summary.
import type { ReactNode } from 'react';
import type { SectionId } from '../../shared/api/bridge.ts';
import { primarySectionModifier } from '../shell/keys.ts';
import { useClient } from '../state/context.tsx';
import { sectionLabel, sectionNumber } from '../shell/section-meta.ts';
import './section-page.css';

export const SECTION_HEADING_ID = 'section-heading';

export interface SectionPageProps {
  id: SectionId;
  summary: ReactNode;
  children: ReactNode;
  /** A page inside the section: its own heading, with a link back to the section's home. */
  title?: ReactNode;
  /** Where "back" goes for a page inside the section (defaults to the section's home). */
  back?: { label: string; onClick(): void };
  /** Buttons beside the heading. */
  actions?: ReactNode;
  wide?: boolean;
}

export function SectionPage({ id, summary, children, title, back, actions, wide }: SectionPageProps) {
  return (
    <section className={`section-page${wide ? ' section-page--wide' : ''}`} aria-labelledby={SECTION_HEADING_ID} data-section={id}>
      <header className="section-page__header">
        {back && (
          <a
            className="section-page__back"
            href="#"
            onClick={(event) => {
              event.preventDefault();
              back.onClick();
            }}
          >
            <span aria-hidden="true">← </span>
            {back.label}
          </a>
        )}
        <div className="section-page__title-row">
          {/* tabIndex -1: focus lands here after a section shortcut so screen readers announce the section. */}
          <h1 id={SECTION_HEADING_ID} tabIndex={-1}>
            {title ?? sectionLabel(id)}
          </h1>
          {actions && <div className="section-page__actions">{actions}</div>}
        </div>
        <div className="section-page__summary">{summary}</div>
      </header>
      {children}
    </section>
  );
}

/** "Press Alt + 3 (or Ctrl + 3) from anywhere to come back to Go/No-Go; ? lists every shortcut." */
export function ShortcutHint({ id }: { id: SectionId }) {
  const { label, other } = primarySectionModifier(useClient().transport);
  const n = sectionNumber(id);
  return (
    <>
      Press <kbd>{label}</kbd> + <kbd>{n}</kbd> (or <kbd>{other}</kbd> + <kbd>{n}</kbd>) from anywhere to come back to{' '}
      {sectionLabel(id)}; <kbd>?</kbd> lists every shortcut.
    </>
  );
}
