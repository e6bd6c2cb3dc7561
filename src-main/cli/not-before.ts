// `--not-before TIME`: a maintenance window's start, as engineers write it. ISO 8601 (with or
// without an offset; without one it is this machine's local time, as `date` shows it) or `HH:MM`,
// the next such local time: at 14:00, `--not-before 22:00` is tonight and `--not-before 06:00`
// tomorrow morning.
import { windowExample } from '../contract/job-values'
import { CliUsageError } from './io'

const CLOCK_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** The instant as ISO 8601 in UTC, or undefined when the flag is absent. */
export function parseNotBefore(value: string | undefined, nowMs: number): string | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  const clock = CLOCK_TIME.exec(text)
  if (clock) {
    const start = new Date(nowMs)
    start.setHours(Number(clock[1]), Number(clock[2]), 0, 0)
    if (start.getTime() <= nowMs) start.setDate(start.getDate() + 1)
    return start.toISOString()
  }
  // Date.parse reads a date-time without an offset as local time, which is what a person means.
  const ms = ISO_DATE_TIME.test(text) ? Date.parse(text.replace(' ', 'T')) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new CliUsageError(
      `--not-before "${value}": give a time as HH:MM (the next such local time) or ISO 8601, like ` +
        `${windowExample(nowMs, true).slice(0, 16)} or ${windowExample(nowMs)}Z`,
    )
  }
  return new Date(ms).toISOString()
}
