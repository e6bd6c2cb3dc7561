// Other processes on the same data folder (the CLI beside the app or `serve`, a second `run`) write
// jobs and sites this process never announced. SQLite's data_version says, without reading a table,
// that another connection committed; then this looks at what could have changed and announces it
// as the same events this process's own writes publish, so every window updates live.
//
// What is looked at, so a long history costs nothing: jobs newer than the newest seen (created
// elsewhere), and the jobs that were open at the last look or are open now (run, canceled or finished
// elsewhere), by the jobs_queue index. A finished job changed elsewhere (rare) shows on reload. The
// settings are a handful of rows, compared whole; backups and job progress lines are numbered, so the
// new ones are above the newest number seen.
import type { CoreEvent } from '../../contract/events'
import type { Job, JobStatus } from '../../contract/job-schema'
import type { Site } from '../../contract/site-schema'
import type { FieldjobsCore } from './fieldjobs-core'
import { CLOUD_TOKEN_CHANGED_KEY } from '../settings/settings-store'
import { ELSEWHERE } from '../events/event-bus'
import { CommitWatch } from '../store/data-version'
import { OPEN_STATUSES, OPEN_TERM } from '../store/job-status-indexes'
import { type JobRow, rowToJob } from '../store/job-store'

export interface OtherWritersWatch {
  /** Looks now (the timer calls it); returns how many events it published. */
  check(): number
  stop(): void
}

/**
 * Rows numbered in order (jobs by seq, backups by number, progress lines by rowid): which are
 * announced. Every row up to `after` was looked at by the watch. What this process announced itself
 * since the last look is remembered by a key: the row's number, or for a progress line what it says
 * (job, time, message), since the recorder stores it under a rowid this watch never sees. A key is
 * counted, as a line may be said twice. A bare "newest seen" would skip another process's row
 * whenever this process wrote a newer one, or changed that row, before the watch looked.
 */
class RowsAbove<Row> {
  private readonly own = new Map<number | string, number>()

  constructor(
    private upTo: number,
    private readonly numberOf: (row: Row) => number,
    private readonly keyOf: (row: Row) => number | string = numberOf,
  ) {}

  /** Rows above this number are still to look at. */
  get after(): number {
    return this.upTo
  }

  get anyOwn(): boolean {
    return this.own.size > 0
  }

  /** This process announced the row with this key itself. */
  announcedHere(key: number | string): void {
    this.own.set(key, (this.own.get(key) ?? 0) + 1)
  }

  /**
   * Of the rows read above `after` (in order), those not announced yet; all of them count as looked
   * at. Everything this process announced before the look is committed by then, so a remembered key
   * not among them was never stored (a job's line cap) and is forgotten.
   */
  unannounced(rows: readonly Row[]): Row[] {
    const fresh = rows.filter((row) => {
      const key = this.keyOf(row)
      const count = this.own.get(key) ?? 0
      if (count > 0) this.own.set(key, count - 1)
      return count === 0
    })
    this.own.clear()
    const last = rows.at(-1)
    if (last !== undefined) this.upTo = Math.max(this.upTo, this.numberOf(last))
    return fresh
  }

  /** Nobody else committed since the last look: every row up to `newest` is this process's own. */
  allOwnUpTo(newest: number): void {
    this.upTo = newest
    this.own.clear()
  }

  /** The newest row now: numbers a purge took away are given out again, so look above it. */
  shrinkTo(newest: number): void {
    if (newest < this.upTo) this.upTo = newest
  }
}

/** A progress line as the watch tells it: what it says, not where it is stored. */
const lineKey = (line: Omit<ProgressRow, 'n'>) => `${line.job_id}\n${line.at}\n${line.message}`

/** Open as openNow's OPEN_TERM reads it. */
const isOpen = (status: JobStatus) => (OPEN_STATUSES as readonly JobStatus[]).includes(status)

interface ProgressRow {
  n: number
  job_id: string
  at: string
  message: string
}

export function watchOtherWriters(core: FieldjobsCore, intervalMs = 500): OtherWritersWatch {
  const { db } = core
  const commits = new CommitWatch(db)
  commits.changedElsewhere() // The first call only takes the current version.
  const newest = db.prepare('SELECT coalesce(max(seq), 0) FROM jobs').pluck()
  const created = db.prepare('SELECT * FROM jobs WHERE seq > ? ORDER BY seq')
  const openNow = db.prepare(`SELECT * FROM jobs WHERE ${OPEN_TERM}`)
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?')
  const sitesNow = db.prepare('SELECT id, updated_at FROM sites')
  const newestBackup = db.prepare('SELECT coalesce(max(id), 0) FROM backups').pluck()
  const backupsAfter = db.prepare('SELECT id FROM backups WHERE id > ? ORDER BY id').pluck()
  const newestProgress = db.prepare('SELECT coalesce(max(rowid), 0) FROM job_progress').pluck()
  const progressAfter = db.prepare('SELECT rowid AS n, job_id, at, message FROM job_progress WHERE rowid > ? ORDER BY rowid')
  const jobs = new RowsAbove<JobRow>(newest.get() as number, (row) => row.seq)
  const backups = new RowsAbove<number>(newestBackup.get() as number, (n) => n)
  const progress = new RowsAbove<ProgressRow>(newestProgress.get() as number, (row) => row.n, lineKey)
  const settingsNow = db.prepare('SELECT key, value FROM settings')
  const readSettings = () => new Map((settingsNow.all() as Array<{ key: string; value: string }>).map((row) => [row.key, row.value]))

  /** Open jobs as last seen: id -> [updated_at, status]. */
  const open = new Map<string, [string, JobStatus]>()
  const remember = (job: Job) => {
    if (isOpen(job.status)) open.set(job.id, [job.updated_at, job.status])
    else open.delete(job.id)
  }
  for (const row of openNow.all() as JobRow[]) remember(rowToJob(row))
  let sites = new Map((sitesNow.all() as Array<{ id: string; updated_at: string }>).map((row) => [row.id, row.updated_at]))
  /** The settings as last compared: a change is announced once, against these. */
  let settings = readSettings()
  /**
   * After this process saved settings, the rows as they are now become the ones compared, unless
   * another process committed since the last look as well: then the next look compares against the
   * rows before both and announces the two together (this process's own again, which only
   * re-applies it). Reading the rows now would take the other's change as seen, and it would never
   * be announced. One read transaction, so data_version and the rows are of the same moment.
   */
  const ownSettingsSaved = db.transaction(() => {
    if (!commits.peek()) settings = readSettings()
  })

  // This process's own writes are announced already: keep the watermarks level with them.
  const unsubscribe = core.events.subscribe((event, origin) => {
    if (event.type === 'job.created' || event.type === 'job.changed') {
      // Only a creation is announced here. A job created elsewhere can be changed here first (this
      // process's queue claims it before the watch looks): its creation is still to announce.
      if (event.type === 'job.created') jobs.announcedHere(event.job.seq)
      remember(event.job)
    } else if (event.type === 'site.changed') sites.set(event.site.id, event.site.updated_at)
    else if (event.type === 'site.removed') sites.delete(event.site_id)
    // Those the watch announced itself were compared in check(), which keeps the rows it compared.
    else if (event.type === 'settings.changed' && !origin.elsewhere) ownSettingsSaved()
    else if (event.type === 'backup.created' && event.backup.id !== null) backups.announcedHere(event.backup.id)
    else if (event.type === 'job.progress' && !origin.elsewhere) progress.announcedHere(lineKey(event))
  })

  const check = (): number => {
    if (!commits.changedElsewhere()) {
      // Keeps the memory of this process's own rows short while no other process writes.
      if (jobs.anyOwn) jobs.allOwnUpTo(newest.get() as number)
      if (backups.anyOwn) backups.allOwnUpTo(newestBackup.get() as number)
      if (progress.anyOwn) progress.allOwnUpTo(newestProgress.get() as number)
      return 0
    }
    const events: CoreEvent[] = []
    const fresh = jobs.unannounced(created.all(jobs.after) as JobRow[]).map(rowToJob)
    const freshIds = new Set(fresh.map((job) => job.id))
    const openRows = new Map((openNow.all() as JobRow[]).map((row) => [row.id, rowToJob(row)]))
    for (const [id, [updatedAt, status]] of [...open]) {
      const row = openRows.has(id) ? undefined : (byId.get(id) as JobRow | undefined)
      const current = openRows.get(id) ?? (row && rowToJob(row))
      if (!current) {
        open.delete(id) // Purged with its site elsewhere.
        continue
      }
      if (current.updated_at !== updatedAt) events.push({ type: 'job.changed', job: current, from: status })
      openRows.delete(id)
    }
    // Open now, not known as open before, and not new: a finished job put back (rare), or one this
    // process had not seen open.
    for (const job of openRows.values()) if (!freshIds.has(job.id) && !open.has(job.id)) events.push({ type: 'job.changed', job, from: job.status })
    for (const job of fresh) events.push({ type: 'job.created', job })

    // What a job run elsewhere said (connected, backup saved), so its open detail shows it live.
    // Said before a finished job's last change, in the order the other process said them.
    progress.shrinkTo(newestProgress.get() as number)
    const said = progress
      .unannounced(progressAfter.all(progress.after) as ProgressRow[])
      .map(({ job_id, at, message }): CoreEvent => ({ type: 'job.progress', job_id, at, message }))
    const isEnding = (event: CoreEvent) => event.type === 'job.changed' && !isOpen(event.job.status)
    events.splice(0, events.length, ...events.filter((event) => !isEnding(event)), ...said, ...events.filter(isEnding))

    const siteRows = new Map((sitesNow.all() as Array<{ id: string; updated_at: string }>).map((row) => [row.id, row.updated_at]))
    for (const [id, updatedAt] of siteRows) {
      if (sites.get(id) !== updatedAt) events.push({ type: 'site.changed', site: core.siteStore.get(id) as Site })
    }
    for (const id of sites.keys()) if (!siteRows.has(id)) events.push({ type: 'site.removed', site_id: id })
    sites = siteRows

    // Backups are numbered in order (backup-store.ts), as jobs are by seq (RowsAbove above).
    // A site purged elsewhere may take the highest numbers with it, and they are given out again.
    backups.shrinkTo(newestBackup.get() as number)
    for (const id of backups.unannounced(backupsAfter.all(backups.after) as number[])) {
      events.push({ type: 'backup.created', backup: core.backups.get(id) })
    }

    const settingRows = readSettings()
    const differs = (key: string) => settingRows.get(key) !== settings.get(key)
    if ([...new Set([...settingRows.keys(), ...settings.keys()])].some(differs)) {
      // The token is in the secret store; its row here says only that it changed.
      events.push({ type: 'settings.changed', cloud: differs('cloud_api_url') || differs(CLOUD_TOKEN_CHANGED_KEY) })
    }
    // Exactly the rows compared: a change another process commits from here on is the next look's,
    // even one committed while these events are announced (the CLI answering `run`'s line at once).
    settings = settingRows

    // Published through the bus, so the watermarks above move with them (the subscription).
    for (const event of events) core.events.publish(event, ELSEWHERE)
    return events.length
  }

  const timer = setInterval(check, intervalMs)
  timer.unref()
  return {
    check,
    stop() {
      clearInterval(timer)
      unsubscribe()
    },
  }
}
