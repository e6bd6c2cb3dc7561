// What can go wrong talking to a router, typed, so the executor can decide: retry (nothing reached
// the router), fail for good (bad credentials, TLS), or fail the job (anything after the script left).

/** A `!trap` reply: the router refused or failed a command. `category` is the API's 0..7 (or null). */
export class RouterTrapError extends Error {
  override name = 'RouterTrapError'
  constructor(
    message: string,
    readonly category: number | null,
    readonly command: string,
  ) {
    super(message)
  }
}

export type RouterFailureKind =
  /** ECONNREFUSED: nothing listens on the API port. */
  | 'refused'
  /** No route, host down, DNS failure, reset before login. */
  | 'unreachable'
  /** Connect, login or a command took longer than its limit. */
  | 'timeout'
  /** The TLS handshake failed, or the certificate does not match the pinned fingerprint. */
  | 'tls'
  /** The router refused the user name or password, or the user lacks the `api` policy. */
  | 'auth'
  /** The router said `!fatal` (it closes the connection). */
  | 'fatal'
  /** The connection closed or broke while a call was pending. */
  | 'closed'
  /** Bytes that are not the RouterOS API (another service on the port, a broken stream). */
  | 'protocol'
  /** The caller aborted the call (job canceled). */
  | 'aborted'
  /** Misuse of the client (connect twice, call before connect). */
  | 'usage'

export type RouterPhase = 'connect' | 'login' | 'command'

export class RouterConnectionError extends Error {
  override name = 'RouterConnectionError'
  constructor(
    readonly kind: RouterFailureKind,
    message: string,
    /** How far the conversation got: before login nothing was sent that changes the router. */
    readonly phase: RouterPhase,
    readonly code?: string,
  ) {
    super(message)
  }
}

/**
 * The router refused a parameter it does not know: RouterOS 6 meeting a v7 one (`as-string`,
 * `show-sensitive`). The API says `unknown parameter`; the script parser, `expected end of command`.
 */
export function isUnknownParameter(error: unknown): boolean {
  return error instanceof RouterTrapError && /unknown parameter|expected end of command/i.test(error.message)
}
