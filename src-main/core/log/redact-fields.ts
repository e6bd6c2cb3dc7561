// What a log line may hold: field names that usually carry secrets are blanked whatever their value,
// and any known secret inside any string is replaced (secrets/redaction.ts). A last line of defence:
// the code that logs should never pass a secret in the first place.
import { prepareSecrets, REDACTED, redactPrepared } from '../secrets/redaction'

/** password, passwd, secret, token, authorization, api_key, cookie, also as a suffix (cloud_token). */
const SECRET_FIELD = /(^|[_-])(password|passwd|passphrase|secret|token|authorization|api[_-]?key|cookie)$/i

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name)
}

export function redactFields(value: unknown, secrets: readonly string[]): unknown {
  return redactFieldsPrepared(value, prepareSecrets(secrets))
}

/** redactFields with a list already through prepareSecrets, for a writer that keeps it across lines. */
export function redactFieldsPrepared(value: unknown, prepared: readonly string[]): unknown {
  return redactWith(value, prepared, 0)
}

function redactWith(value: unknown, prepared: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactPrepared(value, prepared)
  if (value === null || typeof value !== 'object') return value
  // A log line is a summary: deeper structures are not worth the risk of missing something in them.
  if (depth > 6) return '[too deep]'
  if (value instanceof Error) return redactPrepared(value.message, prepared)
  if (Array.isArray(value)) return value.map((item) => redactWith(item, prepared, depth + 1))
  const result: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    result[key] = isSecretFieldName(key) && field !== null && field !== undefined && field !== '' ? REDACTED : redactWith(field, prepared, depth + 1)
  }
  return result
}
