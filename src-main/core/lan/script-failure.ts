// Turning the router's words about a failed script into the job's error. RouterOS locates a failure
// as `bad command name foo (line 3 column 2)`; scripts run line by line, so whatever came before
// that line is already applied, and the engineer must be told so.
import { type JobError, jobError } from '../../contract/job-schema'

const LOCATED = /^(.*?)\s*\(line (\d+) column (\d+)\)\s*$/s

export const EARLIER_LINES_WARNING = 'lines before the failing one ran and may already be in effect on the router: check it before running again'

export function scriptFailure(routerMessage: string): JobError {
  const match = LOCATED.exec(routerMessage.trim())
  if (!match) {
    return jobError(`the script failed: ${routerMessage}; ${EARLIER_LINES_WARNING}`, 'script')
  }
  const [, reason, line, column] = match
  // The position travels in line and column, which every view shows beside the message.
  return {
    message: `the script failed: ${reason}; ${EARLIER_LINES_WARNING}`,
    category: 'script',
    line: Number(line),
    column: Number(column),
  }
}
