/**
 * `npm run token -- --org acme --role admin [--tenants a,b] [--sub u1] [--ttl 3600]`
 * Prints a caller JWT signed with the configured JWT_SECRET (the environment's, or the
 * development secret in DATA_DIR), for trying the API in Swagger UI.
 */
import { createSecretKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { ConfigError } from '../../config/config.error';
import { loadConfiguration } from '../../config/configuration';

const USAGE = 'usage: npm run token -- --org <org> [--role admin|member] [--tenants a,b] [--sub <user>] [--ttl <seconds>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      tenants: { type: 'string', default: '' },
      sub: { type: 'string', default: 'dev-user' },
      ttl: { type: 'string', default: '3600' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.org) fail(USAGE);
  if (values.role !== 'admin' && values.role !== 'member') fail('--role must be admin or member');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 31 * 24 * 3600) fail('--ttl must be a whole number of seconds (at most 31 days)');

  if (existsEnvFile()) process.loadEnvFile('.env');
  const config = loadConfiguration(process.env);
  if (config.auth.jwksUri) {
    process.stderr.write('note: JWT_JWKS_URI is set, so Tessera verifies caller JWTs with your identity provider, not with this token.\n');
  }
  if (!config.auth.jwtSecret) fail('JWT_SECRET is not set');

  const tenants = values.tenants!.split(',').map((t) => t.trim()).filter(Boolean);
  let jwt = new SignJWT({ org: values.org, role: values.role, tenants })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(values.sub!)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`);
  if (config.auth.issuer) jwt = jwt.setIssuer(config.auth.issuer);
  if (config.auth.audience) jwt = jwt.setAudience(config.auth.audience);
  process.stdout.write(`${await jwt.sign(createSecretKey(Buffer.from(config.auth.jwtSecret!, 'utf8')))}\n`);
}

function existsEnvFile(): boolean {
  try {
    return require('node:fs').statSync('.env').isFile();
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => fail(error instanceof ConfigError ? error.message : String(error)));
