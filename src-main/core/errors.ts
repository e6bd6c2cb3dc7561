// The one error type the core throws on purpose. Its code decides the CLI's exit code, the IPC
// error payload and the HTTP status of the browser bridge; its message is for a person.

const errorCodes = [
  'validation',
  'not_found',
  'conflict',
  'idempotency_mismatch',
  'invalid_state',
  'database',
  'unavailable',
  'internal',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export interface ErrorIssue {
  path: string
  message: string
}

export class FieldjobsError extends Error {
  override name = 'FieldjobsError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message)
  }
}

/** Turns a zod error into a FieldjobsError whose message names each field and what to fix. */
export function validationError(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }) {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
  const message = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')
  return new FieldjobsError('validation', message, issues)
}

export function parseOrThrow<T>(
  schema: {
    safeParse(
      input: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }
  },
  input: unknown,
): T {
  const result = schema.safeParse(input)
  if (!result.success) throw validationError(result.error)
  return result.data
}
