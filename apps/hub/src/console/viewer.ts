import type { Viewer } from '../../../../libs/console-pages/src';
import { actorOf, roleOf, type Principal } from '../access/principal';

/** Who the header names: a person or token by name and role, the admin token as itself. */
export function viewerOf(p: Principal): Viewer | null {
  const role = roleOf(p);
  if (!role) return null;
  if (p.kind === 'person') return { name: p.name, role, csrfToken: p.csrfToken };
  return { name: p.kind === 'token' ? p.name : actorOf(p).name, role };
}
