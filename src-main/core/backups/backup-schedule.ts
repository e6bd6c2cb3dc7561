// Scheduled backups (setting backup_interval_h): every site whose newest backup is older than the
// interval gets one. "Due" is read from the stored backups and the core's Clock, not from a timer's
// count, so a restart, a backup taken by a job or by another process, and a clock a test moves all
// count; the timer only says when to look again.
import type { FieldjobsCore } from '../app/fieldjobs-core'
import { type BackupResult, takeBackups } from './take-backups'

export class BackupSchedule {
  private round: Promise<BackupResult[]> | undefined

  constructor(
    private readonly core: FieldjobsCore,
    private intervalH: number,
  ) {}

  /**
   * The interval from now on (a changed setting): runDue uses it at once. A schedule that was off
   * (0) has no timer, so the caller starts one (runtime.ts restarts it when the interval changes).
   */
  setIntervalH(intervalH: number): void {
    this.intervalH = intervalH
  }

  /** Takes the backups due now (none when the interval is 0); a round already running is joined, not doubled. */
  runDue(): Promise<BackupResult[]> {
    if (this.intervalH <= 0) return Promise.resolve([])
    this.round ??= (async () => {
      const dueBefore = this.core.clock.now() - this.intervalH * 3_600_000
      const newest = new Map(
        (this.core.db.prepare('SELECT site_id, MAX(created_at) AS at FROM backups GROUP BY site_id').all() as Array<{ site_id: string; at: string }>).map(
          (row) => [row.site_id, Date.parse(row.at)],
        ),
      )
      const due = this.core.siteStore.list().filter((site) => (newest.get(site.id) ?? -Infinity) <= dueBefore)
      return due.length ? takeBackups(this.core, due) : []
    })().finally(() => {
      this.round = undefined
    })
    return this.round
  }

  /** Looks every `checkEveryMs` (default a minute: backups are hours apart) until stopped. */
  start(checkEveryMs = 60_000): { stop(): Promise<void> } {
    if (this.intervalH <= 0) return { stop: async () => {} }
    const look = () => void this.runDue().catch(() => {})
    const timer = setInterval(look, checkEveryMs)
    timer.unref()
    look()
    return {
      stop: async () => {
        clearInterval(timer)
        await this.round?.catch(() => {})
      },
    }
  }
}
