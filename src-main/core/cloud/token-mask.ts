// The cloud token is never logged and never shown whole: only its last four characters, so an
// engineer can tell two tokens apart without anyone being able to use what is on screen.

/** The last four characters; none below 12 characters, where four would give away too much of it. */
export const tokenTail = (token: string | undefined | null): string | null => (token && token.length >= 12 ? token.slice(-4) : null)

/** `****wxyz`; a token too short to spare four characters shows as `****` only. */
export function maskToken(token: string | undefined | null): string {
  if (!token) return '(none)'
  return `****${tokenTail(token) ?? ''}`
}

/** Replaces every occurrence of the token in a text (an error message from below us, say). */
export function redactToken(text: string, token: string | undefined | null): string {
  if (!token || token.length < 4) return text
  return text.split(token).join(maskToken(token))
}
