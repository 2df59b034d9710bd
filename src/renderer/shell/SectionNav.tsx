// The left navigation: one link per section with a roving tabindex, so Tab enters and leaves
// the list in one step and the arrow keys move within it (Enter or Space opens).
import { useRef, useState, type KeyboardEvent } from 'react';
import { SECTIONS, type SectionId } from '../../shared/api/bridge.ts';
import { useApp, useClient } from '../state/context.tsx';
import { comboText, primarySectionModifier, sectionKeyShortcuts } from './keys.ts';
import { sectionLabel } from './section-meta.ts';
import { SECTION_PARTS } from './sections.tsx';

export function SectionNav() {
  const section = useApp((s) => s.section);
  const navigate = useApp((s) => s.navigate);
  // The hint shows the shortcut that works where this page runs (menu key in Electron, Alt in
  // a browser); aria-keyshortcuts announces both.
  const modifier = primarySectionModifier(useClient().transport).label;
  const activeIndex = SECTIONS.indexOf(section);
  const links = useRef<Array<HTMLAnchorElement | null>>([]);

  // The tab stop follows the open section whenever that changes from outside (a shortcut,
  // the menu); in between, the arrow keys move it.
  const [focusIndex, setFocusIndex] = useState(activeIndex);
  const [seenActive, setSeenActive] = useState(activeIndex);
  if (seenActive !== activeIndex) {
    setSeenActive(activeIndex);
    setFocusIndex(activeIndex);
  }

  const moveFocus = (index: number) => {
    const wrapped = (index + SECTIONS.length) % SECTIONS.length;
    setFocusIndex(wrapped);
    links.current[wrapped]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveFocus(focusIndex + 1),
      ArrowRight: () => moveFocus(focusIndex + 1),
      ArrowUp: () => moveFocus(focusIndex - 1),
      ArrowLeft: () => moveFocus(focusIndex - 1),
      Home: () => moveFocus(0),
      End: () => moveFocus(SECTIONS.length - 1),
    };
    const action = keys[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  };

  const open = (id: SectionId, index: number) => {
    setFocusIndex(index);
    navigate(id);
  };

  return (
    <nav className="section-nav" aria-label="Sections">
      <ul role="list" onKeyDown={onKeyDown}>
        {SECTIONS.map((id, index) => {
          const { Icon } = SECTION_PARTS[id];
          const current = id === section;
          return (
            <li key={id}>
              <a
                ref={(el) => {
                  links.current[index] = el;
                }}
                href={`#${id}`}
                className="section-nav__link"
                aria-current={current ? 'page' : undefined}
                aria-keyshortcuts={sectionKeyShortcuts(index + 1)}
                tabIndex={index === focusIndex ? 0 : -1}
                onFocus={() => setFocusIndex(index)}
                onClick={(event) => {
                  event.preventDefault();
                  open(id, index);
                }}
                onKeyDown={(event) => {
                  // Links open on Enter natively; Space is what people press on a menu item.
                  if (event.key === ' ') {
                    event.preventDefault();
                    open(id, index);
                  }
                }}
              >
                <Icon />
                <span className="section-nav__label">{sectionLabel(id)}</span>
                <span className="section-nav__shortcut" aria-hidden="true">
                  {comboText(modifier, index + 1)}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
