// The frame of every section: its heading (the target of keyboard jumps) and a one-line summary.
import type { ReactNode } from 'react';
import type { SectionId } from '../../shared/api/bridge.ts';
import { MOD_LABEL } from '../shell/keys.ts';
import { sectionLabel, sectionNumber } from '../shell/section-meta.ts';
import './section-page.css';

export const SECTION_HEADING_ID = 'section-heading';

export function SectionPage({ id, summary, children }: { id: SectionId; summary: string; children: ReactNode }) {
  return (
    <section className="section-page" aria-labelledby={SECTION_HEADING_ID} data-section={id}>
      <header className="section-page__header">
        {/* tabIndex -1: focus lands here after Ctrl/⌘+digit so screen readers announce the section. */}
        <h1 id={SECTION_HEADING_ID} tabIndex={-1}>
          {sectionLabel(id)}
        </h1>
        <p className="section-page__summary">{summary}</p>
      </header>
      {children}
    </section>
  );
}

/** "Press Ctrl + 3 from anywhere to come back to Go/No-Go; ? lists every shortcut." */
export function ShortcutHint({ id }: { id: SectionId }) {
  return (
    <>
      Press <kbd>{MOD_LABEL}</kbd> + <kbd>{sectionNumber(id)}</kbd> from anywhere to come back to {sectionLabel(id)};{' '}
      <kbd>?</kbd> lists every shortcut.
    </>
  );
}
