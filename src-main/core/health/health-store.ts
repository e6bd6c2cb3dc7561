// Health samples in SQLite: a small time series per site, kept for a week.
import type { Statement } from 'better-sqlite3'
import type { HealthSample, SiteOnline } from '../../contract/ipc-contract'
import type { Db } from '../store/database'

export const HEALTH_RETENTION_MS = 7 * 24 * 3600_000

interface HealthRow {
  site_id: string
  at_iso: string
  online: number
  identity: string | null
  version: string | null
  board: string | null
  cpu_load: number | null
  free_memory: number | null
  total_memory: number | null
  uptime: string | null
  error: string | null
}

const toSample = (row: HealthRow): HealthSample => ({
  site_id: row.site_id,
  at: row.at_iso,
  online: row.online === 1,
  identity: row.identity,
  version: row.version,
  board: row.board,
  cpu_load: row.cpu_load,
  free_memory: row.free_memory,
  total_memory: row.total_memory,
  uptime: row.uptime,
  error: row.error,
})

export class HealthStore {
  /** Prepared once: a probe round records one sample per site. */
  private readonly insert: Statement
  /** Prepared once: the window's lint asks at each pause in typing. */
  private readonly lastVersion: Statement

  constructor(private readonly db: Db) {
    this.lastVersion = db.prepare('SELECT version FROM site_health WHERE site_id = ? AND version IS NOT NULL ORDER BY at_ms DESC LIMIT 1').pluck()
    this.insert = db.prepare(
      `INSERT INTO site_health (site_id, at_ms, at_iso, online, identity, version, board, cpu_load, free_memory, total_memory, uptime, error)
       VALUES (@site_id, @at_ms, @at, @online, @identity, @version, @board, @cpu_load, @free_memory, @total_memory, @uptime, @error)`,
    )
  }

  record(sample: HealthSample): void {
    this.insert.run({ ...sample, at_ms: Date.parse(sample.at), online: sample.online ? 1 : 0 })
  }

  /** Samples of one site, oldest first, from `sinceMs` on (default: all kept). */
  history(siteId: string, sinceMs = 0): HealthSample[] {
    const rows = this.db
      .prepare('SELECT * FROM site_health WHERE site_id = ? AND at_ms >= ? ORDER BY at_ms')
      .all(siteId, sinceMs) as HealthRow[]
    return rows.map(toSample)
  }

  /** The RouterOS version each site last reported, null for a site never reached. */
  lastVersions(siteIds: readonly string[]): Array<string | null> {
    return siteIds.map((siteId) => (this.lastVersion.get(siteId) as string | undefined) ?? null)
  }

  /** Each probed site's newest sample, said briefly: what the site list's dots show on load. */
  latest(): SiteOnline[] {
    const rows = this.db
      .prepare(
        `SELECT h.site_id, h.online, h.at_iso FROM site_health h
         JOIN (SELECT site_id, max(at_ms) AS at_ms FROM site_health GROUP BY site_id) newest USING (site_id, at_ms)`,
      )
      .all() as Array<{ site_id: string; online: number; at_iso: string }>
    return rows.map((row) => ({ site_id: row.site_id, online: row.online === 1, at: row.at_iso }))
  }

  /** Drops samples older than the retention window; returns how many. */
  prune(nowMs: number, retentionMs = HEALTH_RETENTION_MS): number {
    return this.db.prepare('DELETE FROM site_health WHERE at_ms < ?').run(nowMs - retentionMs).changes
  }
}
