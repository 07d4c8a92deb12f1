import type { FastifyRequest } from 'fastify';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'kp_session';

/** The header that carries the CSRF token on unsafe requests signed by the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';

/** Returns the cookie options of the session cookie for `request` (Secure when it came over TLS). */
export function sessionCookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
}
