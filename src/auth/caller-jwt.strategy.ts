import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { Caller } from './caller';
import { bearerToken, CallerJwtVerifier } from './caller-jwt.verifier';

export const CALLER_JWT_STRATEGY = 'caller-jwt';

/** Passport strategy: the `Authorization: Bearer` header only (never a query or body field). */
@Injectable()
export class CallerJwtStrategy extends PassportStrategy(Strategy, CALLER_JWT_STRATEGY) {
  constructor(private readonly verifier: CallerJwtVerifier) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Caller | false> {
    const token = bearerToken(request.headers.authorization);
    if (!token) return false;
    return (await this.verifier.verify(token)) ?? false;
  }
}
