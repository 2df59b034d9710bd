// Native notifications for events a person must not miss (a rollback trigger, a sign-off request).
import { Notification } from 'electron';

export interface NotifyOptions {
  title: string;
  body: string;
  /** Critical notifications stay until dismissed where the OS supports it. */
  urgency?: 'normal' | 'critical' | 'low';
  onClick?: () => void;
}

export function notify(options: NotifyOptions): boolean {
  if (!Notification.isSupported()) return false;
  const notification = new Notification({
    title: options.title,
    body: options.body,
    urgency: options.urgency ?? 'normal',
    silent: options.urgency === 'low',
  });
  if (options.onClick) notification.on('click', options.onClick);
  notification.show();
  return true;
}
