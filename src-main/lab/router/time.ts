// Router time: durations (`1d2h3m4s`, `500ms`, `00:05:00`), dates in the two RouterOS formats,
// uptime, and a timers port. Important: timers are looked up on every call (not captured at import)
// so vitest's fake timers installed after the router was created still drive scheduler and :delay.
import { RouterTrap, TrapCategory } from './contract'

export interface LabTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const globalTimers: LabTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export const interrupted = () => new RouterTrap('interrupted', TrapCategory.executionInterrupted)

/** Waits `ms` on the given timers; rejects with `interrupted` when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal, timers: LabTimers): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(interrupted())
    const onAbort = () => {
      timers.clearTimeout(handle)
      reject(interrupted())
    }
    const handle = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }

/** Parses a RouterOS time value to milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim()
  if (value === '') return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  // `1d00:05:00`, `00:05:00`, `05:00`
  const clock = /^(?:(\d+)d)?(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$/.exec(value)
  if (clock) {
    const [, days, a, b, c] = clock
    const [h, m, s] = c === undefined ? [0, Number(a), Number(b)] : [Number(a), Number(b), Number(c)]
    return Number(days ?? 0) * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + Math.round(s * 1000)
  }
  const parts = /^((?:\d+(?:ms|w|d|h|m|s))+)$/.exec(value)
  if (!parts) return undefined
  let total = 0
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|w|d|h|m|s)/g)) total += Number(amount) * UNIT_MS[unit]
  return total
}

/** Formats milliseconds the way RouterOS prints a time value: `1w2d3h4m5s`, `500ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  let rest = Math.floor(ms)
  let out = ''
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`
      rest %= size
    }
  }
  if (rest > 0) out += `${rest}ms`
  return out
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const pad = (n: number) => String(n).padStart(2, '0')

/** The router keeps its clock in UTC (time zones are not modelled). */
export function formatDate(ms: number, iso: boolean): string {
  const d = new Date(ms)
  if (iso) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  return `${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`
}

export function formatTime(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** A date and a time as RouterOS prints them together (`2023-07-14 10:00:00`, `jul/14/2023 10:00:00`). */
export const formatDateTime = (ms: number, iso: boolean) => `${formatDate(ms, iso)} ${formatTime(ms)}`

/** Accepts both `2023-07-14` and `jul/14/2023` (routers since 7.10 still take the old form). */
export function parseDate(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (iso) return Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]))
  const old = /^([a-z]{3})\/(\d{1,2})\/(\d{4})$/i.exec(text)
  if (old) {
    const month = MONTHS.indexOf(old[1].toLowerCase())
    if (month < 0) return undefined
    return Date.UTC(Number(old[3]), month, Number(old[2]))
  }
  return undefined
}

/** `HH:MM:SS` -> milliseconds after midnight. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text)
  if (!match) return undefined
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)]
  if (h > 23 || m > 59 || s > 59) return undefined
  return ((h * 60 + m) * 60 + s) * 1000
}
