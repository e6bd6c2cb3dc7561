// The three ways a cloud call goes wrong, as types, because each asks for a different reaction:
// the cloud said no (CloudApiError: look at status and code), the cloud could not be reached
// (CloudUnreachableError: wait and retry, the job is fine), or something answered that is not the
// API (CloudResponseError: HTML from a proxy, JSON cut off: wait, and tell the user what came back).

/** An ErrorResponse (`{type, code, message, doc_url}`), or an error status without one. */
export class CloudApiError extends Error {
  override name = 'CloudApiError'
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly docUrl: string | null = null,
    /** From Retry-After, when the cloud sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message)
  }

  /** 429 is two things in SDX: a refused cancel, or rate limiting. Only the body's code tells. */
  get isJobAlreadyStarted(): boolean {
    return this.status === 429 && this.code === 'job_already_started'
  }

  get isRateLimited(): boolean {
    return this.status === 429 && !this.isJobAlreadyStarted
  }

  /** The token itself was refused: no job can succeed until it is changed. */
  get isAuthProblem(): boolean {
    return this.status === 401 || this.status === 403
  }

  /** Worth asking again: the server failed, or asks us to come back (a key still in flight: 409). */
  get isRetryable(): boolean {
    return this.status >= 500 || this.status === 409 || this.isRateLimited
  }

  describe(): string {
    return `${this.status} ${this.code}: ${this.message}`
  }
}

/**
 * No answer: refused, reset, timed out. `sent` says whether the request may have reached the
 * cloud: `no` only when the connection was never made (refused, no such host), so a job created
 * by it cannot exist there.
 */
export class CloudUnreachableError extends Error {
  override name = 'CloudUnreachableError'
  constructor(
    message: string,
    readonly sent: 'no' | 'maybe',
    readonly reason: string,
  ) {
    super(message)
  }
}

/** An answer that is not the API's: HTML, truncated or invalid JSON, a Job without an id. */
export class CloudResponseError extends Error {
  override name = 'CloudResponseError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** Errors a later attempt may not meet: the job itself is fine. */
export function isTransient(error: unknown): boolean {
  if (error instanceof CloudApiError) return error.isRetryable
  return error instanceof CloudUnreachableError || error instanceof CloudResponseError
}
