import { roleFromClaims } from './oidc-role';

describe('roleFromClaims', () => {
  const map = { 'hub-admins': 'admin', 'qa-team': 'qa', devs: 'developer' } as const;

  it('takes the highest role any claim value maps to', () => {
    expect(roleFromClaims({ groups: ['devs', 'qa-team', 'unrelated'] }, 'groups', map)).toBe('qa');
    expect(roleFromClaims({ groups: ['hub-admins', 'devs'] }, 'groups', map)).toBe('admin');
    expect(roleFromClaims({ role: 'devs' }, 'role', map)).toBe('developer');
  });

  it('falls back to the default, or refuses without one', () => {
    expect(roleFromClaims({ groups: ['unrelated'] }, 'groups', map)).toBeNull();
    expect(roleFromClaims({}, 'groups', map, 'viewer')).toBe('viewer');
    expect(roleFromClaims({ groups: [42, null] }, 'groups', map)).toBeNull();
  });

  it('ignores names inherited from Object.prototype', () => {
    expect(roleFromClaims({ groups: ['constructor', 'toString'] }, 'groups', map)).toBeNull();
  });
});
