// A script failure, located the way RouterOS reports it: `bad command name foo (line 3 column 2)`.
export interface ScriptPosition {
  readonly line: number
  readonly column: number
}

export class ScriptError extends Error {
  constructor(
    /** The router's words without the location, e.g. `bad command name foo`. */
    readonly reason: string,
    readonly at: ScriptPosition,
    /** True for parse-time failures: nothing of the script ran. */
    readonly syntax = false,
  ) {
    super(`${reason} (line ${at.line} column ${at.column})`)
    this.name = 'ScriptError'
  }
}
