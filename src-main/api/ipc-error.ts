// How any failure becomes the IpcError envelope. A FieldjobsError keeps its code, message and
// issues; anything else is an `internal` error whose message says where to look, never a stack.
import type { IpcError } from '../contract/ipc-contract'
import { FieldjobsError } from '../core/errors'

export function toIpcError(error: unknown): IpcError {
  if (error instanceof FieldjobsError) {
    return { code: error.code, message: error.message, issues: error.issues }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message: `internal error: ${message}`, issues: [] }
}

/** The HTTP status the browser bridge answers with for an error code (the body is the envelope). */
export function httpStatusFor(code: string): number {
  switch (code) {
    case 'validation':
      return 400
    case 'unauthorized':
      return 401
    case 'forbidden':
      return 403
    case 'method_not_allowed':
      return 405
    case 'not_found':
    case 'unknown_channel':
      return 404
    case 'conflict':
    case 'invalid_state':
      return 409
    case 'too_large':
      return 413
    case 'idempotency_mismatch':
      return 422
    case 'unavailable':
      return 503
    default:
      return 500
  }
}
