// Group commit: writes asked for in the same turn of the event loop run in one SQLite transaction.
// With many requests in flight, their answers arrive together; one commit for all of them instead
// of one each is most of the cost of syncing thousands of jobs. Each caller still gets its own
// result, after the commit, so nothing is acted on before it is durable.
import type { Db } from '../store/database'

export class WriteBatcher<I, R> {
  private pending: Array<{ item: I; resolve: (result: R) => void; reject: (error: unknown) => void }> = []
  private scheduled = false

  constructor(
    private readonly db: Db,
    private readonly write: (item: I) => R,
  ) {}

  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.pending
    this.pending = []
    const results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = []
    try {
      this.db.transaction(() => {
        for (const { item } of batch) {
          // One item's failure (a job removed meanwhile) must not undo the others' writes.
          try {
            results.push({ ok: true, value: this.write(item) })
          } catch (error) {
            results.push({ ok: false, error })
          }
        }
      })()
    } catch (error) {
      for (const { reject } of batch) reject(error)
      return
    }
    batch.forEach(({ resolve, reject }, i) => {
      const result = results[i] as (typeof results)[number]
      if (result.ok) resolve(result.value)
      else reject(result.error)
    })
  }
}
