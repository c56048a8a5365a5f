/**
 * Who may do what in the admin API and the console. Each role can do everything the roles below it
 * can: a viewer reads, an editor also edits drafts, previews and test-sends to their own address, a
 * publisher also publishes, rolls back, pauses and resumes, approves and signs everyone out.
 */
export const ROLES = ['viewer', 'editor', 'publisher'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

export const allows = (has: Role, needs: Role): boolean => ROLES.indexOf(has) >= ROLES.indexOf(needs);

/** Someone acting in the admin API or console: `actor` names them in the change log (never a customer). */
export interface Principal {
  actor: string;
  role: Role;
}

/** The highest role among identity-provider groups (Cognito groups named after the roles); none: viewer. */
export function roleOfGroups(groups: readonly string[] | undefined): Role {
  let role: Role = 'viewer';
  for (const group of groups ?? []) if (isRole(group) && allows(group, role)) role = group;
  return role;
}

/** The answer's words when a role is missing: names the role it lacks. */
export const lacksRole = (principal: Principal, needs: Role): string =>
  `needs the ${needs} role; ${principal.actor} is ${principal.role === 'editor' ? 'an' : 'a'} ${principal.role}`;
