import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { EndUserEmailTakenError, EndUserIdentityError, EndUserNotFoundError } from './end-users.errors';
import { END_USER_ROLES, EndUser, EndUserRole } from './entities/end-user.entity';

export interface FindOrCreateEndUserInput {
  organizationId: string;
  workspaceId: string;
  /** Required when the end user is identified by email alone. */
  tenantId: string | null;
  /** The organization's own id for the person; identifies them within the workspace when given. */
  externalId?: string;
  /** Matched case-insensitively (stored lower-cased) within the tenant. */
  email?: string;
  displayName?: string;
  /** For a new end user only (default VIEWER); an existing one keeps theirs. */
  role?: EndUserRole;
  /** Create the end user when none matches; otherwise that is a 404. */
  autoCreate: boolean;
}

export const MAX_EMAIL_LENGTH = 254;
export const MAX_EXTERNAL_ID_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 200;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const LOOSE_EMAIL = /^[^\s@]+@[^\s@]+$/;

/** End users of one workspace of one organization, created just in time by project tokens. */
@Injectable()
export class EndUsersService {
  constructor(@InjectRepository(EndUser) private readonly users: Repository<EndUser>) {}

  /**
   * The end user identified by `externalId`, else by `tenantId` + `email`; created (when
   * `autoCreate`) with `role` and `displayName` if there is none. Concurrent first calls agree on
   * one row: the insert yields to the partial unique indexes (ON CONFLICT DO NOTHING), then reads.
   * An existing end user keeps their role; their display name follows a given, different one.
   */
  async findOrCreate(input: FindOrCreateEndUserInput): Promise<EndUser> {
    const { organizationId, workspaceId, tenantId, autoCreate } = input;
    const { externalId, email, displayName, role } = normalize(input);
    const key: FindOptionsWhere<EndUser> =
      externalId !== null ? { organizationId, workspaceId, externalId } : { organizationId, workspaceId, tenantId: tenantId!, email: email! };

    let user = await this.users.findOneBy(key);
    if (!user) {
      if (!autoCreate) throw new EndUserNotFoundError();
      await this.users
        .createQueryBuilder()
        .insert()
        .values({ organizationId, workspaceId, tenantId, externalId, email, displayName, role })
        .orIgnore()
        .execute();
      user = await this.users.findOneBy(key);
      if (!user && externalId !== null && email !== null && tenantId !== null) {
        // The email is taken in the tenant: by this person, known so far by email alone, they get the external id.
        await this.users.update({ organizationId, workspaceId, tenantId, email, externalId: IsNull() }, { externalId });
        user = await this.users.findOneBy(key);
      }
      if (!user) throw new EndUserEmailTakenError();
    }
    if (displayName !== null && user.displayName !== displayName) {
      await this.users.update({ id: user.id, organizationId }, { displayName });
      user = await this.users.findOneByOrFail({ id: user.id, organizationId });
    }
    return user;
  }
}

interface Identity {
  externalId: string | null;
  email: string | null;
  displayName: string | null;
  role: EndUserRole;
}

function normalize(input: FindOrCreateEndUserInput): Identity {
  const externalId = input.externalId ?? null;
  if (externalId !== null && !isPlainText(externalId, MAX_EXTERNAL_ID_LENGTH)) {
    throw new EndUserIdentityError('externalId', `externalId must be 1-${MAX_EXTERNAL_ID_LENGTH} characters without control characters`);
  }
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  if (externalId === null && email === null) throw new EndUserIdentityError('externalId', 'an end user needs an externalId or an email');
  // NULLs are distinct in the unique index, so an email without a tenant would not be unique.
  if (externalId === null && input.tenantId === null) throw new EndUserIdentityError('tenantId', 'a tenant is required to identify an end user by email');
  const displayName = input.displayName ?? null;
  if (displayName !== null && !isPlainText(displayName, MAX_DISPLAY_NAME_LENGTH)) {
    throw new EndUserIdentityError('displayName', `displayName must be 1-${MAX_DISPLAY_NAME_LENGTH} characters without control characters`);
  }
  const role = input.role ?? 'VIEWER';
  if (!END_USER_ROLES.includes(role)) throw new EndUserIdentityError('role', `role must be one of ${END_USER_ROLES.join(', ')}`);
  return { externalId, email, displayName, role };
}

/** Loose on purpose: one @, something either side, no spaces, at most 254 characters; lower-cased. */
function normalizeEmail(value: string): string {
  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (email.length > MAX_EMAIL_LENGTH || !LOOSE_EMAIL.test(email) || CONTROL_CHARACTERS.test(email)) {
    throw new EndUserIdentityError('email', `email must be an address with one @ and at most ${MAX_EMAIL_LENGTH} characters`);
  }
  return email;
}

function isPlainText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && !CONTROL_CHARACTERS.test(value);
}
