// The last line of defence against a secret reaching a log, an error message or JSON output: any
// occurrence of a known secret (a router password, the cloud token) becomes `[redacted]`.

export const REDACTED = '[redacted]'

/** Secrets shorter than this are not searched for: an empty or 2-letter password would blank out
 * ordinary words, and such a password is not worth hiding from a log anyway. */
const MIN_REDACTABLE_LENGTH = 4

/** The secrets worth searching for, once each, longest first (so one that contains another is hidden whole). */
export function prepareSecrets(secrets: Iterable<string | undefined | null>): readonly string[] {
  const known = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_REDACTABLE_LENGTH))]
  return known.sort((a, b) => b.length - a.length)
}

/** Replaces every occurrence of each secret of a prepareSecrets list in `text`. */
export function redactPrepared(text: string, prepared: readonly string[]): string {
  let result = text
  for (const secret of prepared) if (result.includes(secret)) result = result.split(secret).join(REDACTED)
  return result
}

/** Replaces every occurrence of each known secret in `text`. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined | null>): string {
  return redactPrepared(text, prepareSecrets(secrets))
}
