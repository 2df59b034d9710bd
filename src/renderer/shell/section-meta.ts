// Names of the main sections as people read them, in menu order (Ctrl/⌘ + position).
import { SECTION_LABELS, SECTIONS, type SectionId } from '../../shared/api/bridge.ts';

export { SECTION_LABELS };

export function sectionLabel(id: SectionId): string {
  return SECTION_LABELS[id];
}

/** 1-based position, which is also the digit of its keyboard shortcut. */
export function sectionNumber(id: SectionId): number {
  return SECTIONS.indexOf(id) + 1;
}
