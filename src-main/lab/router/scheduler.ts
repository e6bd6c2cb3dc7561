// `/system/scheduler` that really fires: each enabled entry with a clock start time gets a timer
// on the router's timers (fake timers in tests). A one-shot (`interval=0s`) fires once at its start
// and then stays in the list, like RouterOS, without firing again; an interval entry fires at
// start + k*interval. Entries starting at `startup` only run at boot, which the lab does not model.
import type { Item, Table } from './menus/table'
import { type LabTimers, parseDate, parseDuration, parseTimeOfDay } from './time'

// setTimeout cannot wait longer than 2^31-1 ms; longer waits re-arm when this expires.
const LONGEST_WAIT = 2 ** 31 - 1

interface Armed {
  readonly target: number
  readonly handle: unknown
}

export interface SchedulerDeps {
  now(): number
  timers(): LabTimers
  fire(item: Item): void
}

/** Start of an entry in ms since the epoch (router clock, UTC), or undefined for `startup`. */
export function startOf(values: Readonly<Record<string, string>>): number | undefined {
  const time = values['start-time']
  const date = values['start-date']
  if (!time || time === 'startup' || !date) return undefined
  const day = parseDate(date)
  const offset = parseTimeOfDay(time)
  return day === undefined || offset === undefined ? undefined : day + offset
}

export class SchedulerRunner {
  private readonly armed = new Map<number, Armed>()
  /** The start each entry last fired for, so a fired one-shot or slot is never fired twice. */
  private readonly lastFired = new Map<number, number>()
  private readonly unsubscribe: () => void

  constructor(
    private readonly table: Table,
    private readonly deps: SchedulerDeps,
  ) {
    this.unsubscribe = table.subscribe((change) => {
      if (change.kind === 'remove') {
        this.disarm(change.item.id)
        this.lastFired.delete(change.item.id)
      } else this.arm(change.item)
    })
    for (const item of table.items) this.arm(item)
  }

  /** When an entry will fire next (for `next-run`), if ever. */
  nextRun(values: Readonly<Record<string, string>>, id?: number): number | undefined {
    if (values.disabled === 'true') return undefined
    const start = startOf(values)
    if (start === undefined) return undefined
    const interval = parseDuration(values.interval ?? '0s') ?? 0
    const fired = id === undefined ? undefined : this.lastFired.get(id)
    const now = this.deps.now()
    if (interval === 0) return start > now && fired !== start ? start : undefined
    const after = Math.max(now, fired ?? -Infinity)
    if (start > after) return start
    return start + (Math.floor((after - start) / interval) + 1) * interval
  }

  /** The armed target of an entry (what `next-run` prints). */
  armedTarget(id: number): number | undefined {
    return this.armed.get(id)?.target
  }

  private arm(item: Item): void {
    this.disarm(item.id)
    const target = this.nextRun(item.values, item.id)
    if (target === undefined) return
    const wait = Math.max(0, target - this.deps.now())
    const handle = this.deps.timers().setTimeout(() => {
      this.armed.delete(item.id)
      if (!this.table.items.includes(item)) return
      if (wait > LONGEST_WAIT) return this.arm(item)
      // The timer is the authority on elapsed time (an injected clock may not move with it).
      this.lastFired.set(item.id, target)
      this.deps.fire(item)
      this.arm(item)
    }, Math.min(wait, LONGEST_WAIT))
    this.armed.set(item.id, { target, handle })
  }

  private disarm(id: number): void {
    const armed = this.armed.get(id)
    if (armed) this.deps.timers().clearTimeout(armed.handle)
    this.armed.delete(id)
  }

  dispose(): void {
    this.unsubscribe()
    for (const id of [...this.armed.keys()]) this.disarm(id)
  }
}
