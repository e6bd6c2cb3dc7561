// The cloud token is never logged and never shown whole: only its last four characters, so an
// engineer can tell two tokens apart without anyone being able to use what is on screen.

/** `****wxyz`; a token too short to spare four characters shows as `****` only. */
export function maskToken(token: string | undefined | null): string {
  if (!token) return '(none)'
  if (token.length < 12) return '****'
  return `****${token.slice(-4)}`
}

/** Replaces every occurrence of the token in a text (an error message from below us, say). */
export function redactToken(text: string, token: string | undefined | null): string {
  if (!token || token.length < 4) return text
  return text.split(token).join(maskToken(token))
}
