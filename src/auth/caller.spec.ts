import { hasTenantAccess } from './access';
import { callerFromClaims } from './caller';

describe('callerFromClaims', () => {
  it('should read org, role, tenants and sub', () => {
    expect(callerFromClaims({ sub: 'u1', org: 'acme', role: 'member', tenants: ['a', 'b'] })).toEqual({
      userId: 'u1',
      organizationId: 'acme',
      role: 'member',
      tenants: ['a', 'b'],
    });
  });

  it('should accept organization_id and roles[]', () => {
    expect(callerFromClaims({ sub: 'u1', organization_id: 'acme', roles: ['viewer', 'admin'] })).toMatchObject({ organizationId: 'acme', role: 'admin' });
  });

  it('should make anything that does not say admin a member', () => {
    for (const claims of [{}, { role: 'owner' }, { role: 'ADMIN' }, { roles: 'admin' }, { roles: [] }]) {
      expect(callerFromClaims({ sub: 'u', org: 'o', ...claims })?.role).toBe('member');
    }
  });

  it.each([
    { org: 'acme' },
    { sub: 'u1' },
    { sub: 'u1', org: '' },
    { sub: 'u1', org: 42 },
    { sub: 'u1', org: 'x'.repeat(129) },
    { sub: 'u1', org: 'acme', tenants: 'a,b' },
    { sub: 'u1', org: 'acme', tenants: Array.from({ length: 1001 }, (_, i) => `t${i}`) },
  ])('should refuse %p', (claims) => {
    expect(callerFromClaims(claims)).toBeUndefined();
  });

  it('should drop tenant entries that are not ids', () => {
    expect(callerFromClaims({ sub: 'u', org: 'o', tenants: ['a', 1, '', null, 'b'] })?.tenants).toEqual(['a', 'b']);
  });
});

describe('hasTenantAccess', () => {
  const member = { userId: 'u', organizationId: 'acme', role: 'member' as const, tenants: ['t-1'] };

  it('should let admins reach any tenant and members only theirs', () => {
    expect(hasTenantAccess({ ...member, role: 'admin', tenants: [] }, 'anything')).toBe(true);
    expect(hasTenantAccess(member, 't-1')).toBe(true);
    expect(hasTenantAccess(member, 't-2')).toBe(false);
    expect(hasTenantAccess(member, 'T-1')).toBe(false);
  });
});
