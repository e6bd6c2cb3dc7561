// Turning the router's words about a failed script into the job's error. RouterOS locates a failure
// as `bad command name foo (line 3 column 2)`. It compiles the whole script before running any of
// it, so a compile-time failure (syntax, an unknown command or argument) means nothing ran; a
// runtime failure (a command's trap) stops the script at that line with the lines before it applied,
// and the engineer must be told exactly which.
import { type JobError, jobError, linesThatRan, ONLY_MENUS_BEFORE, SCRIPT_DID_NOT_PARSE } from '../../contract/job-schema'

const LOCATED = /^(.*?)\s*\(line (\d+) column (\d+)\)\s*$/s

/** Whether the router's message names a line and column: the script failing there, not the router refusing the command. */
export const isLocated = (routerMessage: string): boolean => LOCATED.test(routerMessage.trim())

/**
 * The reasons RouterOS gives while compiling a script, before its first line runs (the lab's parser
 * and resolver, src-main/lab/router/script, raise the same ones at the same stage).
 */
const COMPILE_TIME_REASON = /^(syntax error|bad command name|expected )/

export const EARLIER_LINES_WARNING = 'lines before the failing one ran and may already be in effect on the router: check it before running again'

/**
 * A port: how many commands of `script` start before `line` (menu-only lines, comments and blank
 * lines are none), undefined when it cannot tell. The lint provides it (src-main/lint, from the
 * lab's parser); the core only asks.
 */
export type CommandsBefore = (script: string, line: number) => Promise<number | undefined>

/**
 * `commandsBefore`: how many commands start before the failing line, undefined when unknown. With
 * 0, the warning that earlier lines may be in effect would be a false alarm: a script's usual
 * first line only chooses a menu.
 */
export function scriptFailure(routerMessage: string, commandsBefore?: number): JobError {
  const match = LOCATED.exec(routerMessage.trim())
  if (!match) {
    return jobError(`the script failed: ${routerMessage}; ${EARLIER_LINES_WARNING}`, 'script')
  }
  const [, reason = '', line, column] = match
  // The position travels in line and column, which every view shows beside the message.
  const at = { category: 'script' as const, line: Number(line), column: Number(column) }
  if (COMPILE_TIME_REASON.test(reason)) {
    return { ...at, message: `${SCRIPT_DID_NOT_PARSE}: ${reason}; nothing of it ran on the router` }
  }
  const failed = { ...at, message: `the script failed: ${reason}` }
  const ran = linesThatRan(failed)
  if (ran && commandsBefore === 0) return { ...failed, message: `${failed.message}; ${ONLY_MENUS_BEFORE}` }
  return {
    ...failed,
    message: ran
      ? `${failed.message}; ${ran} before it and may already be in effect on the router: check it before running again`
      : `${failed.message}; it stopped at its first line, so nothing before it ran`,
  }
}
