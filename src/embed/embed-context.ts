import { EmbedTokenClaims } from '../tokens/embed-token';

/** What the embed page shows and needs, sent to its script as a JSON data block (never executed). */
export interface EmbedContext {
  /** The token in use; kept in memory by the page for silent refresh, never put in a URL. */
  token: string;
  expiresAt: number;
  workspaceId: string;
  dashboardId: string;
  tenant: { id: string; name: string };
  dashboard: { title: string; description: string | null };
  /** Origins allowed to frame the page: the only ones whose refresh messages are accepted. */
  allowedOrigins: string[];
  security: Pick<EmbedTokenClaims, 'rcls' | 'cls' | 'sls' | 'params'>;
  config: { theme: 'light' | 'dark'; locale: string | null };
}

/** The documented message protocol between the embed page and its host window. */
export const EMBED_MESSAGES = {
  /** page → host: `{type, dashboardId, expiresAt}`; sent shortly before the token expires. */
  tokenRequest: 'tessera:token-request',
  /** host → page: `{type, token}`; a fresh iframe token for the same dashboard. */
  token: 'tessera:token',
  /** page → host: `{type, state, code?}`; `ready`, `refreshed`, `expired` or `error`. */
  state: 'tessera:state',
} as const;
