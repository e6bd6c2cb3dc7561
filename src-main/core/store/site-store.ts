// Sites in SQLite. The password is never here: only a reference into the secret store.
import { randomUUID } from 'node:crypto'
import type { CoreEvent } from '../../contract/events'
import type { CodePage, Site } from '../../contract/site-schema'
import { defaultPort } from '../../contract/site-values'
import { type Clock, isoAt } from '../clock'
import { FieldjobsError } from '../errors'
import { bindSiteTrust } from '../routeros/site-trust'
import { CommitWatch } from './data-version'
import type { Db } from './database'
import { OPEN_TERM } from './job-status-indexes'
import { counted } from '../../contract/counted'

interface SiteRow {
  id: string
  name: string
  host: string
  api_port: number
  tls: number
  username: string
  secret_ref: string
  cloud_site_id: string | null
  code_page: CodePage
  allow_anonymous_dh: number
  tls_fingerprint: string | null
  tags: string
  vars: string
  mac: string | null
  created_at: string
  updated_at: string
}

const rowToSite = (row: SiteRow): Site => ({
  ...row,
  tls: row.tls === 1,
  allow_anonymous_dh: row.allow_anonymous_dh === 1,
  tags: JSON.parse(row.tags) as string[],
  vars: JSON.parse(row.vars) as Record<string, string>,
})

/** The unique index on sites.name, said in words; any other error as it was. */
const nameConflict = (error: unknown, name: string | undefined): unknown =>
  (error as Error).message.includes('sites.name')
    ? new FieldjobsError('conflict', `a site named "${name}" already exists: pick another name`)
    : error

export interface SiteHistory {
  jobs: number
  backups: number
}

export interface SiteFields {
  name: string
  host: string
  api_port?: number
  tls: boolean
  username: string
  cloud_site_id: string | null
  code_page: CodePage
  allow_anonymous_dh: boolean
  tags?: readonly string[]
  vars?: Readonly<Record<string, string>>
  mac?: string | null
}

export class SiteStore {
  private readonly byId
  private readonly commits
  // Sites are read on every job created and every job run, and change rarely: they are kept here
  // (frozen, so no caller can change the shared copy) until this store writes a site, or another
  // connection (the CLI beside the app) commits something.
  private readonly cache = new Map<string, Site>()

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly publish: (event: CoreEvent) => void,
  ) {
    this.byId = db.prepare('SELECT * FROM sites WHERE id = ?')
    this.commits = new CommitWatch(db)
  }

  /** A site as callers get it: able to pin its api-ssl certificate on first use (site-trust.ts). */
  private toSite(row: SiteRow): Site {
    return bindSiteTrust(Object.freeze(rowToSite(row)), (fingerprint) => this.pinCertificate(row.id, fingerprint))
  }

  /**
   * Saves the certificate fingerprint seen on the first api-ssl connection, unless one is pinned
   * already (two connections racing on first use: the first wins, the other must match it).
   * Returns the fingerprint now pinned.
   */
  pinCertificate(id: string, fingerprint: string): string {
    this.cache.clear()
    const row = this.db
      .prepare('UPDATE sites SET tls_fingerprint = ?, updated_at = ? WHERE id = ? AND tls_fingerprint IS NULL RETURNING *')
      .get(fingerprint, isoAt(this.clock.now()), id) as SiteRow | undefined
    if (row) {
      this.publish({ type: 'site.changed', site: this.toSite(row) })
      return fingerprint
    }
    return this.get(id).tls_fingerprint ?? fingerprint
  }

  /**
   * `beforeAnnounce` runs after the write and before site.changed is published (and undoes the write
   * when it throws): the caller stores the site's password there, so no listener ever sees a site
   * whose secret is not stored yet (the log would miss it, and leak it later).
   */
  add(fields: SiteFields, beforeAnnounce?: (site: Site) => void): Site {
    const id = randomUUID()
    const now = isoAt(this.clock.now())
    return this.writeAndAnnounce(
      () =>
        this.db
          .prepare(
            `INSERT INTO sites (id, name, host, api_port, tls, username, secret_ref, cloud_site_id, code_page,
               allow_anonymous_dh, tags, vars, mac, created_at, updated_at)
             VALUES (@id, @name, @host, @api_port, @tls, @username, @secret_ref, @cloud_site_id, @code_page,
               @allow_anonymous_dh, @tags, @vars, @mac, @now, @now) RETURNING *`,
          )
          .get({
            id,
            name: fields.name,
            host: fields.host,
            api_port: fields.api_port ?? defaultPort(fields.tls),
            tls: fields.tls ? 1 : 0,
            username: fields.username,
            secret_ref: `site:${id}`,
            cloud_site_id: fields.cloud_site_id,
            code_page: fields.code_page,
            allow_anonymous_dh: fields.allow_anonymous_dh ? 1 : 0,
            tags: JSON.stringify(fields.tags ?? []),
            vars: JSON.stringify(fields.vars ?? {}),
            mac: fields.mac ?? null,
            now,
          }) as SiteRow,
      fields.name,
      beforeAnnounce,
    )
  }

  /** `beforeAnnounce`: as for add(). */
  update(id: string, fields: Partial<SiteFields> & { tls_fingerprint?: string | null }, beforeAnnounce?: (site: Site) => void): Site {
    const current = this.get(id)
    const columns: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue
      if (key === 'tags' || key === 'vars') columns[key] = JSON.stringify(value)
      else columns[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value
    }
    // Switching TLS on or off moves a site on the default port to the other default port.
    if (fields.tls !== undefined && fields.api_port === undefined && current.api_port === defaultPort(current.tls)) {
      columns.api_port = defaultPort(fields.tls)
    }
    columns.updated_at = isoAt(this.clock.now())
    const names = Object.keys(columns)
    this.cache.clear()
    return this.writeAndAnnounce(
      () =>
        this.db
          .prepare(`UPDATE sites SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id RETURNING *`)
          .get({ ...columns, id }) as SiteRow,
      fields.name,
      beforeAnnounce,
    )
  }

  /** add() and update(): the write and beforeAnnounce in one transaction, then site.changed. */
  private writeAndAnnounce(write: () => SiteRow, name: string | undefined, beforeAnnounce?: (site: Site) => void): Site {
    try {
      const site = this.db.transaction(() => {
        const written = this.toSite(write())
        beforeAnnounce?.(written)
        return written
      })()
      this.publish({ type: 'site.changed', site })
      return site
    } catch (error) {
      throw nameConflict(error, name)
    }
  }

  get(id: string): Site {
    if (this.commits.changedElsewhere()) this.cache.clear()
    const cached = this.cache.get(id)
    if (cached) return cached
    const row = this.byId.get(id) as SiteRow | undefined
    if (!row) throw new FieldjobsError('not_found', `no site with id ${id}`)
    const site = this.toSite(row)
    this.cache.set(id, site)
    return site
  }

  /** The site's name for a message; the start of its id when the site is gone (purged meanwhile). */
  nameOf(id: string): string {
    try {
      return this.get(id).name
    } catch {
      return id.slice(0, 8)
    }
  }

  /** Finds a site by name (what people type) or id (what programs pass). */
  find(nameOrId: string): Site {
    const row = this.db.prepare('SELECT * FROM sites WHERE name = ? OR id = ?').get(nameOrId, nameOrId) as
      | SiteRow
      | undefined
    if (!row) throw new FieldjobsError('not_found', `no site named "${nameOrId}": see \`fieldjobs site list\``)
    return this.toSite(row)
  }

  list(): Site[] {
    return (this.db.prepare('SELECT * FROM sites ORDER BY name').all() as SiteRow[]).map((row) => this.toSite(row))
  }

  /** The sites that carry a tag, by name. */
  withTag(tag: string): Site[] {
    const rows = this.db
      .prepare('SELECT * FROM sites WHERE EXISTS (SELECT 1 FROM json_each(sites.tags) WHERE value = ?) ORDER BY name')
      .all(tag) as SiteRow[]
    return rows.map((row) => this.toSite(row))
  }

  /**
   * Removes a site that has no unfinished jobs. Its jobs and backups are the record of what was done
   * to a customer's router, so a site that has any is removed only with `purge`, which deletes them
   * with it (the caller removes the backup files); without it the removal is refused, saying how
   * many would go. Returns how many jobs and backups went.
   */
  remove(id: string, options: { purge?: boolean } = {}): SiteHistory {
    const site = this.get(id)
    this.cache.clear()
    const removed = this.db.transaction(() => {
      const open = this.db
        .prepare(`SELECT count(*) AS n FROM jobs WHERE site_id = ? AND ${OPEN_TERM}`)
        .get(id) as { n: number }
      if (open.n > 0) {
        throw new FieldjobsError(
          'conflict',
          `site "${site.name}" has ${counted(open.n, 'unfinished job')}: cancel ${open.n === 1 ? 'it or let it' : 'them or let them'} finish before removing the site`,
        )
      }
      const history = this.history(id)
      if (!options.purge && (history.jobs > 0 || history.backups > 0)) {
        throw new FieldjobsError(
          'conflict',
          `site "${site.name}" has ${counted(history.jobs, 'job')} and ${counted(history.backups, 'backup')}, the record of what was done to ` +
            `this router, so it was not removed; to delete the site with all of them, remove it with --purge ` +
            `(fieldjobs site remove ${site.name} --purge)`,
        )
      }
      this.db.prepare('DELETE FROM backups WHERE site_id = ?').run(id)
      this.db.prepare('DELETE FROM jobs WHERE site_id = ?').run(id)
      this.db.prepare('DELETE FROM sites WHERE id = ?').run(id)
      return history
    })()
    this.publish({ type: 'site.removed', site_id: id })
    return removed
  }

  /** How many jobs and backups a site has. */
  history(id: string): SiteHistory {
    const count = (sql: string) => (this.db.prepare(sql).get(id) as { n: number }).n
    return {
      jobs: count('SELECT count(*) AS n FROM jobs WHERE site_id = ?'),
      backups: count('SELECT count(*) AS n FROM backups WHERE site_id = ?'),
    }
  }
}
