import { EndUsersService, FindOrCreateEndUserInput } from '../../src/end-users/end-users.service';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('end users', () => {
  let t: TestApp;
  let endUsers: EndUsersService;

  beforeAll(async () => {
    t = await startTestApp();
    endUsers = t.app.get(EndUsersService);
  });
  beforeEach(() => resetDatabase(t.dataSource));
  afterAll(() => t.close());

  const scope = { organizationId: 'acme', workspaceId: 'ws-1', tenantId: 't-1' };
  const findOrCreate = (input: Partial<FindOrCreateEndUserInput>) => endUsers.findOrCreate({ ...scope, autoCreate: true, ...input });
  const count = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS count FROM end_users`))[0].count;

  it('should create an end user with the given role and display name when autoCreate is set', async () => {
    const user = await findOrCreate({ externalId: 'u-42', email: 'Ada.Lovelace@Example.COM', displayName: 'Ada', role: 'POWER_USER' });
    expect(user).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      organizationId: 'acme',
      workspaceId: 'ws-1',
      tenantId: 't-1',
      externalId: 'u-42',
      email: 'ada.lovelace@example.com',
      displayName: 'Ada',
      role: 'POWER_USER',
    });
    expect(user.createdAt).toBeInstanceOf(Date);
    const viewer = await findOrCreate({ email: 'grace@example.com' });
    expect(viewer).toMatchObject({ role: 'VIEWER', externalId: null, displayName: null, email: 'grace@example.com' });
    expect(await count()).toBe(2);
  });

  it('should find an end user by external id whatever email or tenant comes with it', async () => {
    const created = await findOrCreate({ externalId: 'u-42', email: 'ada@example.com' });
    const found = await findOrCreate({ externalId: 'u-42', tenantId: null, autoCreate: false });
    expect(found.id).toBe(created.id);
    expect((await findOrCreate({ externalId: 'u-42', email: 'someone-else@example.com' })).id).toBe(created.id);
    expect(await count()).toBe(1);
  });

  it('should find an end user by tenant and email case-insensitively', async () => {
    const created = await findOrCreate({ email: 'ada@example.com' });
    const found = await findOrCreate({ email: '  ADA@Example.Com ', autoCreate: false });
    expect(found.id).toBe(created.id);
    // Another tenant's person with the same email is someone else.
    await expect(findOrCreate({ tenantId: 't-2', email: 'ada@example.com', autoCreate: false })).rejects.toMatchObject({ status: 404 });
    expect((await findOrCreate({ tenantId: 't-2', email: 'ada@example.com' })).id).not.toBe(created.id);
    expect(await count()).toBe(2);
  });

  it('should throw 404 End user not found and create nothing when autoCreate is not set', async () => {
    await expect(findOrCreate({ externalId: 'u-42', autoCreate: false })).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: 'End user not found',
    });
    await expect(findOrCreate({ email: 'ada@example.com', autoCreate: false })).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await count()).toBe(0);
  });

  it('should keep the end users of other organizations and workspaces apart', async () => {
    const mine = await findOrCreate({ externalId: 'u-42' });
    await expect(findOrCreate({ externalId: 'u-42', organizationId: 'globex', autoCreate: false })).rejects.toMatchObject({ status: 404 });
    await expect(findOrCreate({ externalId: 'u-42', workspaceId: 'ws-2', autoCreate: false })).rejects.toMatchObject({ status: 404 });
    const theirs = await findOrCreate({ externalId: 'u-42', organizationId: 'globex' });
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.organizationId).toBe('globex');
  });

  it('should create one row when 20 first calls for the same person run in parallel', async () => {
    const byId = await Promise.all(Array.from({ length: 20 }, (_, i) => findOrCreate({ externalId: 'u-42', displayName: 'Ada', role: i % 2 ? 'POWER_USER' : 'VIEWER' })));
    expect(new Set(byId.map((u) => u.id)).size).toBe(1);
    const byEmail = await Promise.all(Array.from({ length: 20 }, (_, i) => findOrCreate({ email: i % 2 ? 'Grace@Example.com' : 'grace@example.com' })));
    expect(new Set(byEmail.map((u) => u.id)).size).toBe(1);
    expect(await count()).toBe(2);
  });

  it('should keep the role of an existing end user and update only a different display name', async () => {
    const created = await findOrCreate({ externalId: 'u-42', displayName: 'Ada', role: 'POWER_USER' });
    const again = await findOrCreate({ externalId: 'u-42', role: 'VIEWER' });
    expect(again).toMatchObject({ id: created.id, role: 'POWER_USER', displayName: 'Ada' });
    expect(again.updatedAt.getTime()).toBe(created.updatedAt.getTime());

    const renamed = await findOrCreate({ externalId: 'u-42', displayName: 'Ada King', role: 'VIEWER' });
    expect(renamed).toMatchObject({ id: created.id, role: 'POWER_USER', displayName: 'Ada King' });
    const [row] = await t.dataSource.query(`SELECT role, display_name FROM end_users WHERE id = $1`, [created.id]);
    expect(row).toEqual({ role: 'POWER_USER', display_name: 'Ada King' });

    const viewer = await findOrCreate({ email: 'grace@example.com', role: 'VIEWER' });
    expect((await findOrCreate({ email: 'grace@example.com', role: 'POWER_USER' })).role).toBe('VIEWER');
    expect(viewer.role).toBe('VIEWER');
  });

  it('should give the external id to an end user known so far by email alone', async () => {
    const byEmail = await findOrCreate({ email: 'ada@example.com' });
    const linked = await findOrCreate({ externalId: 'u-42', email: 'ADA@example.com' });
    expect(linked).toMatchObject({ id: byEmail.id, externalId: 'u-42' });
    expect(await count()).toBe(1);
    // That email now belongs to u-42: another external id cannot take it.
    await expect(findOrCreate({ externalId: 'u-43', email: 'ada@example.com' })).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(await count()).toBe(1);
  });

  it.each([
    [{ externalId: undefined, email: undefined }, 'externalId'],
    [{ externalId: '' }, 'externalId'],
    [{ externalId: 'x'.repeat(257) }, 'externalId'],
    [{ externalId: 'bad\u0000id' }, 'externalId'],
    [{ email: 'no-at-sign' }, 'email'],
    [{ email: 'two@@example.com' }, 'email'],
    [{ email: 'a@b@example.com' }, 'email'],
    [{ email: '@example.com' }, 'email'],
    [{ email: 'ada@' }, 'email'],
    [{ email: 'ada lovelace@example.com' }, 'email'],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
    [{ email: 'ada@example.com', tenantId: null }, 'tenantId'],
    [{ externalId: 'u-42', displayName: 'x'.repeat(201) }, 'displayName'],
    [{ externalId: 'u-42', role: 'ADMIN' as never }, 'role'],
  ])('should refuse an unusable identity %# with 422 and create nothing', async (input, field) => {
    await expect(findOrCreate(input)).rejects.toMatchObject({ status: 422, code: 'VALIDATION_ERROR', details: [{ field }] });
    expect(await count()).toBe(0);
  });
});
