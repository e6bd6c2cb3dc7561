// Validation messages in the form come from the very zod schemas the main process parses with, so
// the window says exactly what the core would say, before anything is sent.
import type { z } from 'zod'
import { errorIssues } from '../api/error-message'

/** Field path ('' for the whole form) -> the first message zod gives for it. */
export type FieldIssues = Record<string, string>

export function fieldIssues(error: z.ZodError | undefined): FieldIssues {
  const issues: FieldIssues = {}
  for (const issue of error?.issues ?? []) {
    const path = issue.path.map(String).join('.')
    issues[path] ??= issue.message
  }
  return issues
}

/** The issues a rejected call carried (the same { path, message } list), keyed the same way; none when it carried none. */
export function issuesOf(error: unknown): FieldIssues {
  const issues: FieldIssues = {}
  for (const issue of errorIssues(error)) issues[issue.path] ??= issue.message
  return issues
}
