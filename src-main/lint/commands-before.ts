// The LAN executor's CommandsBefore port (core/lan/script-failure.ts), answered by the lint's
// commandsBefore from the lab's parser and command tree. The lab's modules load the first time a
// script fails, not when `run`, `serve` or the app starts.
import type { CommandsBefore } from '../core/lan/script-failure'

export const commandsBeforeFromLint: CommandsBefore = async (script, line) => (await import('./script-lint')).commandsBefore(script, line)
