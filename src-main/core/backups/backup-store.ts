// Router configuration backups: text exports stored as `<data-dir>/backups/<site_id>/<unix seconds>.rsc`,
// the same relative path SDX uses and the job's associated_backup holds. Each is recorded with its
// SHA-256 so a file changed on disk is reported, never silently diffed or restored.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CoreEvent } from '../../contract/events'
import type { Backup } from '../../contract/ipc-contract'
import { isoAt } from '../clock'
import { FieldjobsError } from '../errors'
import { configurationHash } from './export-lines'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../store/database'

interface BackupRow {
  path: string
  site_id: string
  created_at: string
  sha256: string
  size: number
  job_id: string | null
  id: number | null
  config_sha256: string | null
  changed: number | null
  stored_in: string | null
}

const toBackup = ({ sha256: _hash, changed, ...row }: BackupRow): Backup => ({ ...row, changed: changed === null ? null : changed === 1 })

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const BACKUP_PATH = /^([0-9a-f-]{36})\/(\d{1,12})\.rsc$/

export class BackupStore {
  private readonly insert: Statement
  private readonly byPath: Statement
  private readonly byId: Statement
  private readonly latestOfSite: Statement

  constructor(
    private readonly db: Db,
    private readonly backupsDir: string,
    /** Announces each backup recorded (backup.created), after its commit. */
    private readonly publish: (event: CoreEvent) => void = () => {},
  ) {
    // The number is the next after the highest, taken inside the insert so two writers never share one.
    this.insert = db.prepare(
      'INSERT INTO backups (id, path, site_id, created_at, sha256, size, job_id, config_sha256, changed, stored_in) ' +
        'VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM backups), @path, @site_id, @created_at, @sha256, @size, @job_id, @config_sha256, @changed, @stored_in)',
    )
    this.byPath = db.prepare('SELECT * FROM backups WHERE path = ?')
    this.byId = db.prepare('SELECT * FROM backups WHERE id = ?')
    this.latestOfSite = db.prepare('SELECT * FROM backups WHERE site_id = ? ORDER BY created_at DESC, path DESC LIMIT 1')
  }

  /**
   * Records an export taken at `atMs` and returns it. An export whose configuration equals the
   * site's previous backup (configurationHash) is recorded as unchanged and writes no file: it
   * points at the earlier file that holds the configuration (`stored_in`). Two backups of one site
   * in the same second get the next free second, so none is overwritten (`wx` refuses an existing
   * file). Asynchronous: a fan-out to hundreds of routers saves hundreds of exports, and synchronous
   * writes there stalled every other router's traffic on the event loop.
   */
  async record(siteId: string, text: string, atMs: number, jobId: string | null = null): Promise<Backup> {
    const configHash = configurationHash(text)
    const unchanged = this.recordIfUnchanged(siteId, text, configHash, atMs, jobId)
    if (unchanged) return this.announced(unchanged)
    let seconds = Math.floor(atMs / 1000)
    // The site's folder is made with the site (makeSiteFolder), and again only when a write finds it
    // missing: a fan-out saves one export per router, and a mkdir before each cost 7% of its CPU.
    let madeFolder = false
    let path: string
    for (;;) {
      path = `${siteId}/${seconds}.rsc`
      // An unchanged backup holds its second without a file.
      if (this.byPath.get(path)) {
        seconds++
        continue
      }
      try {
        await writeFile(this.file(path), text, { encoding: 'utf8', flag: 'wx' })
        break
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT' && !madeFolder) {
          await mkdir(join(this.backupsDir, siteId), { recursive: true })
          madeFolder = true
          continue
        }
        if (code !== 'EEXIST') throw error
        seconds++
      }
    }
    const filePath = path
    const recorded = this.db.transaction(() => {
      // Another backup of the site may have landed while the file was written: compare with that one.
      const previous = this.previousOf(siteId)
      const changed = previous?.config_sha256 !== configHash
      this.insert.run({
        path: filePath,
        site_id: siteId,
        created_at: isoAt(seconds * 1000),
        sha256: sha256(text),
        size: Buffer.byteLength(text),
        job_id: jobId,
        config_sha256: configHash,
        changed: changed ? 1 : 0,
        stored_in: null,
      })
      return this.get(filePath)
    }).immediate()
    return this.announced(recorded)
  }

  private announced(backup: Backup): Backup {
    this.publish({ type: 'backup.created', backup })
    return backup
  }

  /** Stores an export and returns its path (the job's associated_backup). */
  async save(siteId: string, text: string, atMs: number, jobId: string | null = null): Promise<string> {
    return (await this.record(siteId, text, atMs, jobId)).path
  }

  /** The site's newest backup with its configuration hash (computed from its file for one recorded before hashes). */
  private previousOf(siteId: string): (BackupRow & { config_sha256: string }) | undefined {
    const row = this.latestOfSite.get(siteId) as BackupRow | undefined
    if (!row) return undefined
    if (row.config_sha256) return row as BackupRow & { config_sha256: string }
    try {
      const configHash = configurationHash(readFileSync(this.file(row.stored_in ?? row.path), 'utf8'))
      return { ...row, config_sha256: configHash }
    } catch {
      return undefined // Its file is gone: the new backup is stored, not pointed at nothing.
    }
  }

  /** Synchronous, so the comparison and the insert are one step for this process (and one transaction for others). */
  private recordIfUnchanged(siteId: string, text: string, configHash: string, atMs: number, jobId: string | null): Backup | undefined {
    return this.db.transaction(() => {
      const previous = this.previousOf(siteId)
      if (!previous || previous.config_sha256 !== configHash) return undefined
      const storedIn = previous.stored_in ?? previous.path
      let seconds = Math.floor(atMs / 1000)
      while (this.byPath.get(`${siteId}/${seconds}.rsc`) || existsSync(this.file(`${siteId}/${seconds}.rsc`))) seconds++
      const path = `${siteId}/${seconds}.rsc`
      const stored = this.byPath.get(storedIn) as BackupRow | undefined
      this.insert.run({
        path,
        site_id: siteId,
        created_at: isoAt(seconds * 1000),
        // The hash of the file it is read from, so read() checks that file as for any backup.
        sha256: stored?.sha256 ?? sha256(text),
        size: Buffer.byteLength(text),
        job_id: jobId,
        config_sha256: configHash,
        changed: 0,
        stored_in: storedIn,
      })
      return this.get(path)
    }).immediate()
  }

  /** The backups a job took, oldest first: the one before its script, then the after-snapshot. */
  forJob(jobId: string): Backup[] {
    return (this.db.prepare('SELECT * FROM backups WHERE job_id = ? ORDER BY created_at, path').all(jobId) as BackupRow[]).map(toBackup)
  }

  /** One backup by path, or by its number given as text. */
  get(pathOrId: string | number): Backup {
    const row = (
      typeof pathOrId === 'number' || /^\d{1,12}$/.test(pathOrId) ? this.byId.get(Number(pathOrId)) : this.byPath.get(pathOrId)
    ) as BackupRow | undefined
    if (!row) throw new FieldjobsError('not_found', `no backup ${pathOrId}`)
    return toBackup(row)
  }

  /**
   * The site's backup just before this one (`backup diff A` alone, as `git show` diffs a commit
   * against its parent). A site's backups never tie in time (see list).
   */
  before(pathOrId: string): Backup {
    const backup = this.get(pathOrId)
    const row = this.db
      .prepare('SELECT * FROM backups WHERE site_id = ? AND (created_at < ? OR (created_at = ? AND path < ?)) ORDER BY created_at DESC, path DESC LIMIT 1')
      .get(backup.site_id, backup.created_at, backup.created_at, backup.path) as BackupRow | undefined
    if (!row) {
      throw new FieldjobsError('not_found', `backup ${pathOrId} is its site's first: there is nothing before it to compare; give two backups (backup diff A B)`)
    }
    return toBackup(row)
  }

  /** Deletes a removed site's backup files (their rows went with the site, in its transaction). */
  removeSiteFolder(siteId: string): void {
    rmSync(join(this.backupsDir, siteId), { recursive: true, force: true })
  }

  /** Makes a new site's folder, so its first backup is one write. */
  makeSiteFolder(siteId: string): void {
    mkdirSync(join(this.backupsDir, siteId), { recursive: true })
  }

  /**
   * Newest first. One site's backups never tie (created_at is the second in the path); across sites
   * the number breaks ties (a batch backs up many sites in one second), so backup 7 is listed above
   * backup 6 as it was taken after it, the order is total and callers need not sort again.
   */
  list(siteId?: string, options: { changedOnly?: boolean } = {}): Backup[] {
    const where = [siteId ? 'site_id = @siteId' : '', options.changedOnly ? 'changed IS NOT 0' : ''].filter(Boolean)
    const rows = this.db
      .prepare(`SELECT * FROM backups ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC`)
      .all(siteId ? { siteId } : {}) as BackupRow[]
    return rows.map(toBackup)
  }

  /** Reads a backup; `intact` is false when the file no longer matches what was stored. */
  read(pathOrId: string): { path: string; text: string; intact: boolean; id: number | null; created_at: string } {
    const isId = /^\d{1,12}$/.test(pathOrId)
    if (!isId && !BACKUP_PATH.test(pathOrId)) {
      throw new FieldjobsError('validation', `"${pathOrId}" is not a backup (expected its number, or a path <site id>/<unix seconds>.rsc)`)
    }
    const backup = this.get(pathOrId)
    const row = this.byPath.get(backup.path) as BackupRow
    const file = this.file(backup.stored_in ?? backup.path)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      throw new FieldjobsError('not_found', `the backup file ${file} is missing from disk`)
    }
    return { path: backup.path, text, intact: sha256(text) === row.sha256, id: backup.id, created_at: backup.created_at }
  }

  file(path: string): string {
    return join(this.backupsDir, ...path.split('/'))
  }
}
