// The browser bridge's access token: random per `fieldjobs serve`, shown once in the printed URL.
// Any other program on this machine can reach 127.0.0.1, and any web page can make the browser send
// requests there; the token is what makes a request ours.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** 256 bits, base64url: fits a URL fragment and a query parameter unescaped. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url')
}

export const MIN_TOKEN_LENGTH = 32

/**
 * Compares in constant time. Both sides are hashed first, so the comparison neither fails fast on a
 * length difference nor leaks the token's length.
 */
export function tokenMatches(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** `Authorization: Bearer <token>` (fetch from the page) or `X-Fieldjobs-Token` (scripts, curl). */
export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    if (match) return match[1]
  }
  const header = headers['x-fieldjobs-token']
  return typeof header === 'string' ? header : undefined
}
