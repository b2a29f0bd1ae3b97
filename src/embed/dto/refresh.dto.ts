import { IsString, Length } from 'class-validator';

/** The embed page's silent refresh: the token in use and the fresh one its host sent. */
export class EmbedRefreshDto {
  /**
   * The token the page uses now.
   * @example "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJ0eXAiOiJkYXNoYm9hcmQifQ.c2ln"
   */
  @IsString()
  @Length(1, 16_384)
  current: string;

  /**
   * The fresh token the host window sent.
   * @example "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJ0eXAiOiJkYXNoYm9hcmQiLCJuIjoyfQ.c2ln"
   */
  @IsString()
  @Length(1, 16_384)
  next: string;

  /** @example "workspace-456" */
  @IsString()
  @Length(1, 128)
  workspaceId: string;

  /** @example "dash_4f7c0e9a1b2c3d4e5f60718293a4b5c6" */
  @IsString()
  @Length(1, 256)
  dashboardId: string;
}

export class EmbedRefreshResultDto {
  /**
   * When the new token expires, in unix seconds.
   * @example 1767225600
   */
  expiresAt: number;
}
