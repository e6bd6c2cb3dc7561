// What a running script needs from the router. The lab router implements it; tests may fake it.
import type { CommandTree } from '../commands/tree'

/** Script values: strings (numbers, booleans and times are strings too) and arrays of them. */
export type ScriptValue = string | ScriptValue[]

export interface ScriptHost {
  readonly commands: CommandTree
  /** `:global` variables live as long as the router does (until reboot/reset). */
  readonly globals: Map<string, ScriptValue>
  /** `:log info "x"` -> `/log` entry with topics `script,info`. */
  log(topics: string, message: string): void
  /** `:delay`: waits on the router's timers, rejects with `interrupted` on abort. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
}
