// The two RouterOS API logins. Since 6.43: `/login =name= =password=`. Before (and until 6.45.1):
// `/login` -> `!done =ret=<challenge>`, then `/login =name= =response=00<md5>`.
import { createHash, randomBytes } from 'node:crypto'
import { compareRouterOsVersions } from './routeros-version'

/**
 * Which logins a lab router accepts. `auto` follows the version: challenge only before 6.43, both
 * from 6.43 until the challenge was removed in 6.45.1, plain after.
 */
export type LoginStyle = 'auto' | 'plain' | 'challenge' | 'both'

export function effectiveLoginStyle(style: LoginStyle, version: string): Exclude<LoginStyle, 'auto'> {
  if (style !== 'auto') return style
  if (compareRouterOsVersions(version, '6.43') < 0) return 'challenge'
  if (compareRouterOsVersions(version, '6.45.1') < 0) return 'both'
  return 'plain'
}

export function newChallenge(): Buffer {
  return randomBytes(16)
}

/**
 * `00` + hex(md5(0x00 + password + challenge bytes)). The password is a byte string (latin1), as
 * everywhere in the lab. Manual vector: admin, empty password, challenge
 * 93b438ec9b80057c06dd9fe67d56aa9a -> 00e134102a9d330dd7b1849fedfea3cb57.
 */
export function challengeResponse(password: string, challenge: Uint8Array): string {
  const digest = createHash('md5')
    .update(Buffer.from([0]))
    .update(Buffer.from(password, 'latin1'))
    .update(challenge)
    .digest('hex')
  return `00${digest}`
}
