// The script runner's public face: parse, resolve against the router's commands, run.
import { RouterTrap } from '../contract'
import { ScriptError } from './errors'
import type { ScriptHost } from './host'
import { Interpreter } from './interpreter'
import { parseScript } from './parser'
import { resolveScript } from './resolve'

export type { ScriptHost, ScriptValue } from './host'
export { ScriptError } from './errors'

export interface ScriptFailure {
  /** The router's words without location, e.g. `input does not match any value of interface`. */
  readonly message: string
  readonly line: number
  readonly column: number
  /** True when the script did not parse: none of it ran. */
  readonly syntax: boolean
}

export interface ScriptRun {
  /** `:put` and print/export lines, each ending in `\n`. */
  readonly output: string
  readonly error?: ScriptFailure
}

export interface RunScriptOptions {
  readonly signal?: AbortSignal
  readonly user?: string
  onOutput?(line: string): void
}

/** `bad command name foo (line 3 column 2)`: how RouterOS prints a located failure. */
export const describeFailure = (failure: ScriptFailure) => `${failure.message} (line ${failure.line} column ${failure.column})`

export async function runScript(source: string, host: ScriptHost, options: RunScriptOptions = {}): Promise<ScriptRun> {
  let output = ''
  const signal = options.signal ?? new AbortController().signal
  const interpreter = new Interpreter(host, {
    user: options.user ?? 'admin',
    signal,
    onOutput: (line) => {
      output += `${line}\n`
      options.onOutput?.(line)
    },
  })
  try {
    await interpreter.run(resolveScript(parseScript(source), host.commands))
    return { output }
  } catch (error) {
    if (error instanceof ScriptError)
      return { output, error: { message: error.reason, line: error.at.line, column: error.at.column, syntax: error.syntax } }
    if (error instanceof RouterTrap) return { output, error: { message: error.message, line: 1, column: 1, syntax: false } }
    throw error
  }
}
