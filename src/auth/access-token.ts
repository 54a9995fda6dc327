import { createSecretKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../errors/app-error.js';
import type { AuthContext } from './auth-context.js';
import { ROLES, type Role } from './roles.js';

export const ACCESS_TOKEN_TTL_S = 900;
export const JWT_ISSUER = 'steeple';
export const JWT_AUDIENCE = 'steeple-api';
/** RFC 9068 access-token type; a token of any other `typ` is refused. */
export const JWT_TYP = 'at+jwt';
const CLOCK_TOLERANCE_S = 30;
const MAX_TOKEN_LENGTH = 4096;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface IssuedAccessToken {
  token: string;
  jti: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

/** Milliseconds since epoch encoded in a UUIDv7 (our jti): exact issue time for cut-offs. */
export function uuidV7Millis(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Signs and verifies access tokens: HS256 only, fixed iss/aud/typ, every claim required. */
const VERIFIED_CACHE_MAX = 10_000;

export class AccessTokens {
  // A KeyObject built once: jose imports raw bytes again on every call (about half of verify).
  private readonly key: KeyObject;
  // Tokens whose signature and claims already verified, until they expire. A token's bytes fully
  // determine that result, so re-verifying it on every request (~150 us of WebCrypto HMAC) buys
  // nothing; revocation is still checked on every request by the caller.
  private readonly verified = new Map<string, AuthContext>();

  constructor(secret: Uint8Array) {
    this.key = createSecretKey(secret);
  }

  async sign(claims: {
    userId: string;
    tenantId: string;
    role: Role;
    sessionId?: string;
  }): Promise<IssuedAccessToken> {
    const jti = uuidv7();
    const iat = Math.floor(uuidV7Millis(jti) / 1000);
    const expiresAt = iat + ACCESS_TOKEN_TTL_S;
    const token = await new SignJWT({
      tid: claims.tenantId,
      role: claims.role,
      ...(claims.sessionId ? { sid: claims.sessionId } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: JWT_TYP })
      .setSubject(claims.userId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(expiresAt)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .sign(this.key);
    return { token, jti, expiresAt };
  }

  /**
   * The claims of a token already verified and not yet expired, synchronously; undefined means
   * "call verify" (it may be unknown, expired or bad). Saves the hot path a promise per request.
   */
  peek(token: string): AuthContext | undefined {
    const known = this.verified.get(token);
    if (known && known.expiresAt + CLOCK_TOLERANCE_S > Date.now() / 1000) return { ...known };
    return undefined;
  }

  /** Any failure (signature, algorithm, claims, expiry, shape) is the same 401. */
  async verify(token: string): Promise<AuthContext> {
    if (token.length > MAX_TOKEN_LENGTH) throw Errors.unauthenticated();
    const known = this.peek(token);
    if (known) return known;
    if (this.verified.delete(token)) throw Errors.unauthenticated(); // known, but expired
    const auth = await this.verifyFully(token);
    // Bounded: drop the oldest entry (Map keeps insertion order) once full.
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, auth);
    return { ...auth };
  }

  private async verifyFully(token: string): Promise<AuthContext> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        typ: JWT_TYP,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'tid', 'role', 'jti', 'iat', 'exp'],
      });
      // We never resolve keys from the token; a token that asks us to is not one we issued.
      if ('jwk' in protectedHeader || 'jku' in protectedHeader || 'x5u' in protectedHeader) throw null;
      const { sub, tid, role, jti, iat, exp, sid } = payload;
      if (typeof sub !== 'string' || !UUID.test(sub)) throw null;
      if (typeof tid !== 'string' || !UUID.test(tid)) throw null;
      if (typeof jti !== 'string' || !UUID_V7.test(jti)) throw null;
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw null;
      if (typeof iat !== 'number' || typeof exp !== 'number') throw null;
      // Only tokens we could have issued: not from the future, and living no longer than ours.
      if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_S || exp - iat > ACCESS_TOKEN_TTL_S) throw null;
      if (sid !== undefined && (typeof sid !== 'string' || !UUID.test(sid))) throw null;
      const auth: AuthContext = {
        userId: sub,
        tenantId: tid,
        role: role as Role,
        jti,
        issuedAt: iat,
        expiresAt: exp,
      };
      if (sid) auth.sessionId = sid;
      return auth;
    } catch (err) {
      if (err !== null && !(err instanceof errors.JOSEError)) throw err;
      throw Errors.unauthenticated();
    }
  }
}
