// People at devices: the roles a war room knows and the profile that becomes each event's actor.
import { z } from 'zod';

export const ROLES = ['coordinator', 'engineer', 'approver', 'lead', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  coordinator: 'Coordinator',
  engineer: 'On-call engineer',
  approver: 'Approver',
  lead: 'Lead',
  observer: 'Observer',
};

export const displayName = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(80, 'A name has at most 80 characters.');

export const roleSchema = z.enum(ROLES, {
  error: `Choose a role: ${ROLES.map((r) => ROLE_LABELS[r]).join(', ')}.`,
});

export const profileInput = z.strictObject({ name: displayName, role: roleSchema });
export type ProfileInput = z.infer<typeof profileInput>;

export interface Profile {
  /** Stable id of the person at this device (kept when the name or role changes). */
  id: string;
  name: string;
  role: Role;
  updatedAt: string;
}
