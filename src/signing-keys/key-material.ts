import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { SecretBox } from '../common/crypto/secret-box';
import { encodePart } from '../common/crypto/compact-jws';
import { SigningKey } from './entities/signing-key.entity';

export const SIGNING_ALG = 'ES256';

/** A public key as published in the JWKS: the EC point, its `kid`, and what it is for. */
export interface PublishedJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof SIGNING_ALG;
  use: 'sig';
}

/** Everything needed to sign and verify with one key, built once per process. */
export interface KeyMaterial {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Readonly<PublishedJwk>;
  /** The encoded protected header `{alg, typ, kid}` this key signs with. */
  headerPart: string;
}

/** Binds a sealed private key to its row: a key copied under another kid does not open. */
function sealContext(kid: string): string {
  return `signing-key:${kid}`;
}

/** A fresh P-256 key as a row to insert: the private half sealed, the public half as a JWK. */
export function newSigningKeyRow(box: SecretBox): Pick<SigningKey, 'kid' | 'alg' | 'publicJwk' | 'privateKeySealed'> {
  const kid = randomBytes(16).toString('base64url');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { kid, alg: SIGNING_ALG, publicJwk: { kty: kty!, crv: crv!, x: x!, y: y! }, privateKeySealed: box.seal(pem, sealContext(kid)) };
}

/**
 * Opens a stored key. The public key is derived from the sealed private key and must equal the
 * stored JWK, so a row written by someone who can write the database but lacks ENCRYPTION_KEY
 * (their own public key under a new kid) is never trusted. Throws when it does not open or match.
 */
export function prepareKey(row: SigningKey, box: SecretBox): KeyMaterial {
  if (row.alg !== SIGNING_ALG) throw new Error(`unsupported algorithm ${row.alg}`);
  const privateKey = createPrivateKey(box.open(row.privateKeySealed, sealContext(row.kid)));
  const publicKey = createPublicKey(privateKey);
  const derived = publicKey.export({ format: 'jwk' });
  const stored = row.publicJwk ?? {};
  if (derived.crv !== 'P-256' || stored.kty !== 'EC' || stored.crv !== 'P-256' || stored.x !== derived.x || stored.y !== derived.y) {
    throw new Error('the stored public key does not match the private key');
  }
  const jwk: PublishedJwk = { kty: 'EC', crv: 'P-256', x: derived.x!, y: derived.y!, kid: row.kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    kid: row.kid,
    privateKey,
    publicKey,
    jwk: Object.freeze(jwk),
    headerPart: encodePart({ alg: SIGNING_ALG, typ: 'JWT', kid: row.kid }),
  };
}
