// What a failed call says to a person. Transports reject with the contract's IpcError shape
// ({ code, message, issues }) or a plain Error; either way the engineer sees the core's own words.
export interface FieldIssue {
  path: string
  message: string
}

export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return error.message
  }
  return String(error)
}

/** The per-field issues of a validation error that crossed the boundary, if it carries any. */
export function errorIssues(error: unknown): FieldIssue[] {
  if (error && typeof error === 'object' && 'issues' in error && Array.isArray(error.issues)) {
    return error.issues.filter(
      (issue): issue is FieldIssue => typeof issue?.path === 'string' && typeof issue?.message === 'string',
    )
  }
  return []
}
