// The boundary between the lab's wire server (src-main/lab/wire, src-main/lab/server.ts) and the
// simulated router it fronts (src-main/lab/router). The server owns bytes, sentences, tags, login,
// /quit, /cancel, faults and `!empty`; the router owns state, menus, scripts and their messages.
//
// Important: the lab keeps text as *byte strings* (latin1: one JS char per byte), because RouterOS
// stores raw bytes and declares no charset. The server decodes every word with latin1 and encodes
// replies with latin1, so CP1251, CP1252 and UTF-8 values reach the client exactly as stored.

/** RouterOS `!trap` categories (API manual). */
export const TrapCategory = {
  missingItemOrCommand: 0,
  argumentValueFailure: 1,
  executionInterrupted: 2,
  scriptingFailure: 3,
  generalFailure: 4,
  apiFailure: 5,
  ttyFailure: 6,
  returnValue: 7,
} as const

/** A command failed: the server answers `!trap =category= =message=` then `!done`. */
export class RouterTrap extends Error {
  constructor(
    message: string,
    readonly category?: number,
  ) {
    super(message)
    this.name = 'RouterTrap'
  }
}

/** One parsed API request, tag and login already handled by the server. */
export interface ApiCommand {
  /** e.g. `/ip/address/add` */
  readonly command: string
  /** `=name=value` words, including dot names (`.id`, `.proplist`), in request order. */
  readonly attributes: ReadonlyMap<string, string>
  /** `?...` words, without the leading `?`, in request order (print/getall only). */
  readonly queries: readonly string[]
}

export interface CommandContext {
  readonly user: string
  /** Aborted by `/cancel`, by `/quit` and when the connection drops. */
  readonly signal: AbortSignal
  /** Sends one `!re` with these attributes (byte strings). */
  emitItem(attributes: Record<string, string>): void
}

export interface SimulatedRouter {
  readonly identity: string
  /** e.g. `7.18.2`, `7.17`, `6.49.10` */
  readonly version: string
  /** Used by the 6.43+ login. */
  authenticate(user: string, password: string): boolean
  /** Used by the pre-6.43 challenge login, which needs the clear password. */
  passwordOf(user: string): string | undefined
  /** Whether this user's group has the `api` policy (else `not allowed (9)`). */
  hasApiPolicy(user: string): boolean
  /**
   * Runs one command. Resolves with the attributes of the final `!done` (for instance `{ ret: '*1A' }`)
   * after emitting any `!re`; rejects with RouterTrap for a `!trap`. Long commands (`listen`,
   * `/system/script/run` of a script with `:delay`) watch ctx.signal and reject with
   * RouterTrap('interrupted', executionInterrupted) when it aborts.
   */
  run(command: ApiCommand, ctx: CommandContext): Promise<Record<string, string>>
  /**
   * Optional: called when a change would cut API access (api service disabled or moved, the
   * management address gone, a filter rule dropping the api port). Returns an unsubscribe.
   * The server may drop or refuse connections to model a lockout.
   */
  onAccessChange?(listener: (change: { readonly reason: string; readonly detail: string; readonly service?: 'api' | 'api-ssl' }) => void): () => void
  /** Optional: called after a configuration reset or reboot; live connections should drop. */
  onReboot?(listener: () => void): () => void
}
