// The keyboard shortcuts overlay (`?`). A native modal <dialog>: it traps focus, makes the page
// behind inert and closes on Esc by itself; the store only mirrors whether it is open.
import { useEffect, useRef } from 'react';
import { SECTIONS } from '../../shared/api/bridge.ts';
import { useApp, useClient } from '../state/context.tsx';
import { MOD_LABEL, primarySectionModifier } from './keys.ts';
import { sectionLabel } from './section-meta.ts';

interface Shortcut {
  keys: string[][];
  /** Keys pressed one after the other (shown as "g then 4"), instead of a combination. */
  sequence?: string[];
  what: string;
}

type Group = { title: string; items: Shortcut[] };

/** Section jumps, the one that works here first (a browser keeps Ctrl/⌘ + digit for its tabs). */
function sectionGroup(transport: 'ipc' | 'http'): Group {
  const { label, other } = primarySectionModifier(transport);
  return {
    title: 'Sections',
    items: [
      {
        keys: [],
        sequence: ['g', `1–${SECTIONS.length}`],
        what: 'Open a section by its number, in any browser',
      },
      ...SECTIONS.map((id, i) => ({
      keys: [
        [label, String(i + 1)],
        [other, String(i + 1)],
      ],
      what: `Open ${sectionLabel(id)}`,
      })),
    ],
  };
}

const OTHER_GROUPS: Group[] = [
  {
    title: 'In the section list',
    items: [
      { keys: [['↑'], ['↓']], what: 'Move to the previous or next section' },
      { keys: [['Home'], ['End']], what: 'Move to the first or last section' },
      { keys: [['Enter'], ['Space']], what: 'Open the section' },
    ],
  },
  {
    title: 'In the runbook runner',
    items: [
      { keys: [['j'], ['↓']], what: 'Next step' },
      { keys: [['k'], ['↑']], what: 'Previous step' },
      { keys: [['Space'], ['Enter']], what: 'Complete the step' },
      { keys: [['b']], what: 'Begin the step (starts its timer)' },
      { keys: [['s']], what: 'Skip, with a reason' },
      { keys: [['f']], what: 'Mark failed, with a reason' },
      { keys: [['n']], what: 'Add a note' },
      { keys: [['a']], what: 'Assign to a person or role' },
      { keys: [['e']], what: 'Attach evidence (a file)' },
      { keys: [['u']], what: 'Reset the step to pending' },
      { keys: [['Shift', 'R']], what: 'Start the rollback, with a reason' },
    ],
  },
  {
    title: 'Anywhere',
    items: [
      { keys: [['?']], what: 'Show these shortcuts' },
      { keys: [['Esc']], what: 'Close this overlay' },
      { keys: [[MOD_LABEL, 'Shift', 'L']], what: 'Switch dark and light theme' },
      { keys: [['Tab']], what: 'Skip to content (first Tab on a page)' },
    ],
  },
];

export function ShortcutsDialog() {
  const transport = useClient().transport;
  const groups = [sectionGroup(transport), ...OTHER_GROUPS];
  const open = useApp((s) => s.shortcutsOpen);
  const close = useApp((s) => s.closeShortcuts);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<Element | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      returnFocus.current = document.activeElement;
      el.showModal();
    } else if (!open && el.open) {
      el.close();
    }
  }, [open]);

  // Esc and the close button both end in the dialog's `close` event; mirror it into the store
  // and give focus back to where the person was — unless something else (a Ctrl/⌘+digit jump
  // that closed the overlay) has already put focus somewhere on purpose.
  const onClose = () => {
    close();
    const back = returnFocus.current;
    returnFocus.current = null;
    const focusIsLost = document.activeElement === null || document.activeElement === document.body;
    if (focusIsLost && back instanceof HTMLElement && back.isConnected) back.focus();
  };

  return (
    <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <div className="shortcuts__header">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="button" autoFocus onClick={() => dialog.current?.close()}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
      <div className="shortcuts__groups">
        {groups.map((group) => (
          <section key={group.title} aria-label={group.title}>
            <h3>{group.title}</h3>
            <dl>
              {group.items.map((item) => (
                <div key={item.what} className="shortcuts__row">
                  <dt>
                    {item.sequence?.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span className="shortcuts__or"> then </span>}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                    {item.keys.map((combo, i) => (
                      <span key={combo.join('+')}>
                        {i > 0 && <span className="shortcuts__or"> or </span>}
                        {combo.map((k, j) => (
                          <span key={k}>
                            {j > 0 && '+'}
                            <kbd>{k}</kbd>
                          </span>
                        ))}
                      </span>
                    ))}
                  </dt>
                  <dd>{item.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  );
}
