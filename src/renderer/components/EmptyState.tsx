// The honest "nothing here yet" panel every section starts with: what the section will hold,
// what you will be able to do, and (when the action is not built yet) why it is disabled.
import { useId, type ReactNode } from 'react';
import './empty-state.css';

export interface EmptyStateProps {
  icon: ReactNode;
  title: string;
  /** One or two sentences: what will appear here. */
  children: ReactNode;
  /** What a person will be able to do in this section. */
  capabilities: ReactNode[];
  action?: { label: string; unavailableReason: string };
  /** Keyboard hint shown at the bottom. */
  hint?: ReactNode;
  /** Extra content below the capabilities (e.g. facts that already exist). */
  aside?: ReactNode;
}

export function EmptyState({ icon, title, children, capabilities, action, hint, aside }: EmptyStateProps) {
  const reasonId = useId();
  const listId = useId();
  return (
    <div className="empty-state">
      <div className="empty-state__icon">{icon}</div>
      <h2 className="empty-state__title">{title}</h2>
      <div className="empty-state__body">{children}</div>
      <h3 className="empty-state__list-title" id={listId}>
        What you will be able to do here
      </h3>
      <ul className="empty-state__list" aria-labelledby={listId}>
        {capabilities.map((c, i) => (
          // The list is fixed per section, so its position is a stable key.
          <li key={i}>{c}</li>
        ))}
      </ul>
      {aside}
      {action && (
        <div className="empty-state__action">
          {/* aria-disabled rather than disabled: it stays focusable, so a keyboard or
              screen-reader user also finds the reason it cannot be used yet. */}
          <button type="button" className="button button--primary" aria-disabled="true" aria-describedby={reasonId}>
            {action.label}
          </button>
          <p className="empty-state__reason" id={reasonId}>
            {action.unavailableReason}
          </p>
        </div>
      )}
      {hint && <p className="empty-state__hint">{hint}</p>}
    </div>
  );
}
