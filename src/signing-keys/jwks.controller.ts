import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { RawResponse } from '../common/http/envelope.hook';
import { Jwks, SigningKeysService } from './signing-keys.service';

const JWKS_SCHEMA = {
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'],
        properties: {
          kty: { type: 'string', enum: ['EC'] },
          crv: { type: 'string', enum: ['P-256'] },
          x: { type: 'string', description: 'base64url x coordinate' },
          y: { type: 'string', description: 'base64url y coordinate' },
          kid: { type: 'string', description: 'Key id, as in the `kid` header of the tokens it signed' },
          alg: { type: 'string', enum: ['ES256'] },
          use: { type: 'string', enum: ['sig'] },
        },
      },
    },
  },
  example: {
    keys: [
      {
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        kid: 'Vh3P2n7Zr1mKq8sT4wXy0A',
        alg: 'ES256',
        use: 'sig',
      },
    ],
  },
};

@ApiTags('jwks')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly signingKeys: SigningKeysService) {}

  /**
   * JWK Set of the embed-token signing keys
   *
   * @remarks No authentication. The public keys that verify Tessera's embed tokens (a JWK Set, RFC
   * 7517): the active key and recently rotated ones, until every token they signed has expired.
   * Not wrapped in the envelope; cacheable for 5 minutes.
   */
  @Get('jwks.json')
  @RawResponse()
  // Rotated keys stay published for a day, so a five-minute-old copy still verifies every token.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'JWK Set', schema: JWKS_SCHEMA })
  keySet(): Jwks {
    return this.signingKeys.jwks();
  }
}
