// `/system/script/job`: every running script is a job; removing the job stops the script (its
// signal aborts, so a `:delay` in progress ends at once).
import type { Item, Table } from './menus/table'
import { formatId } from './menus/table'

export interface RunningJob {
  readonly id: string
  readonly signal: AbortSignal
  /** Removes the job entry when the script ends by itself. */
  finish(): void
}

export class ScriptJobs {
  private readonly controllers = new Map<number, AbortController>()

  constructor(
    private readonly table: Table,
    private readonly started: () => string,
  ) {}

  start(info: { script?: string; owner: string; policy: string; type: string }, parent?: AbortSignal): RunningJob {
    const controller = new AbortController()
    const values: Record<string, string> = { owner: info.owner, policy: info.policy, started: this.started(), type: info.type }
    if (info.script !== undefined) values.script = info.script
    const item = this.table.insert(values)
    this.controllers.set(item.id, controller)
    const signal = parent ? AbortSignal.any([controller.signal, parent]) : controller.signal
    return {
      id: formatId(item.id),
      signal,
      finish: () => {
        this.controllers.delete(item.id)
        this.table.delete(item)
      },
    }
  }

  /** Called when a client removes the job entry. */
  stop(item: Item): void {
    this.controllers.get(item.id)?.abort()
    this.controllers.delete(item.id)
  }

  stopAll(): void {
    for (const item of [...this.table.items]) {
      this.stop(item)
      this.table.delete(item)
    }
  }
}
