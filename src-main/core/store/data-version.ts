// Caches that live until another connection commits (the CLI beside the app, a second window).
import type { Statement } from 'better-sqlite3'
import type { Db } from './database'

/**
 * Watches SQLite's `PRAGMA data_version`, which tells, without touching a table, whether another
 * connection committed since this one last asked.
 *
 * Important: this connection's own commits do not move data_version. A store that caches through a
 * CommitWatch must drop its cache itself whenever it writes.
 */
export class CommitWatch {
  private readonly dataVersion: Statement
  private seen: unknown

  constructor(db: Db) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck()
  }

  /** Whether another connection committed since the last changedElsewhere(), without taking it as seen. */
  peek(): boolean {
    return this.dataVersion.get() !== this.seen
  }

  /** True on the first call, then whenever another connection committed since the previous call. */
  changedElsewhere(): boolean {
    const version = this.dataVersion.get()
    if (version === this.seen) return false
    this.seen = version
    return true
  }
}
