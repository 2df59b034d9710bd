// The frame of every section: its heading (the target of keyboard jumps) and a one-line summary.
import type { ReactNode } from 'react';
import type { SectionId } from '../../shared/api/bridge.ts';
import { primarySectionModifier } from '../shell/keys.ts';
import { useClient } from '../state/context.tsx';
import { sectionLabel, sectionNumber } from '../shell/section-meta.ts';
import './section-page.css';

export const SECTION_HEADING_ID = 'section-heading';

export function SectionPage({ id, summary, children }: { id: SectionId; summary: string; children: ReactNode }) {
  return (
    <section className="section-page" aria-labelledby={SECTION_HEADING_ID} data-section={id}>
      <header className="section-page__header">
        {/* tabIndex -1: focus lands here after a section shortcut so screen readers announce the section. */}
        <h1 id={SECTION_HEADING_ID} tabIndex={-1}>
          {sectionLabel(id)}
        </h1>
        <p className="section-page__summary">{summary}</p>
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
