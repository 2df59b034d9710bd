// Platform-aware keyboard helpers: ⌘ on macOS, Ctrl elsewhere (both accepted everywhere, so
// a Mac keyboard on a Linux wall-display box still works).
import { SECTIONS, type SectionId } from '../../shared/api/bridge.ts';

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/i.test(navigator.platform);

/** The modifier's label as printed on the key. */
export const MOD_LABEL = IS_MAC ? '⌘' : 'Ctrl';
/** The modifier's name for aria-keyshortcuts. */
export const MOD_ARIA = IS_MAC ? 'Meta' : 'Control';

/** Ctrl/⌘ + 1…7 → section; `code` keeps it working on layouts where digits need Shift. */
export function sectionForShortcut(event: KeyboardEvent): SectionId | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return undefined;
  const digit = /^Digit([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0];
  if (!digit) return undefined;
  return SECTIONS[Number(digit) - 1];
}

export function isThemeShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.code === 'KeyL';
}

/** Typing a `?` into a field is text, not a request for help. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}
