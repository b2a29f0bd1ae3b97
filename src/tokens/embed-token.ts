import { ConnectionPolicy, JsonObject, RowPolicy } from '../policies/policies';

export type EmbedTokenType = 'dashboard' | 'project';

/** `aud` per token type: a dashboard token is never accepted where a project token is meant. */
export const TOKEN_AUDIENCE: Record<EmbedTokenType, string> = {
  dashboard: 'tessera:dashboard',
  project: 'tessera:project',
};

/** Every claim of a Tessera embed token (all signed; SPEC §4). */
export interface EmbedTokenClaims {
  iss: string;
  aud: string;
  /** The end user (`end-user:<id>`), org user (`org-user:<id>`) or tenant (`tenant:<id>`). */
  sub: string;
  jti: string;
  /** Seconds, with millisecond precision (RFC 7519 allows fractions): revocation cutoffs compare it exactly. */
  iat: number;
  nbf: number;
  exp: number;
  typ: EmbedTokenType;
  org: string;
  /** Workspace id (the Tokens API's projectId). */
  projectId: string;
  tenantId: string | null;
  /** Provider dashboard id (dashboard tokens). */
  dashboardId: string | null;
  endUserId: string | null;
  role: 'VIEWER' | 'POWER_USER' | null;
  allowEdit: boolean;
  cls: ConnectionPolicy[] | null;
  rcls: RowPolicy[] | null;
  sls: string | null;
  params: JsonObject | null;
  config: JsonObject | null;
  initialDashboardId: string | null;
  allowedSemanticDomains: string[] | null;
}

export const MIN_TOKEN_EXPIRY_SECONDS = 60;
export const MAX_TOKEN_EXPIRY_SECONDS = 86_400;
export const DEFAULT_TOKEN_EXPIRY_SECONDS = 1_800;
/** Claims (policies included) larger than this make a token too big for URLs and headers. */
export const MAX_CLAIMS_BYTES = 8_192;
