import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { copyDatabase, openDatabase } from '../../src-main/core/store/database'
import { migrate } from '../../src-main/core/store/migrate'
import { migrations } from '../../src-main/core/store/migrations/index'
import { addSite, validJob } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const newDir = useTempDirs()

describe('database', () => {
  it('records every migration with its hash, and uses WAL', () => {
    const db = openDatabase(join(newDir(), 'fieldjobs.db'))
    const rows = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as Array<{
      version: number
      sha256: string
    }>
    expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version))
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.sha256))).toBe(true)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('is idempotent: opening twice applies nothing twice', () => {
    const file = join(newDir(), 'fieldjobs.db')
    openDatabase(file).close()
    const db = openDatabase(file)
    expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(migrations.length)
    db.close()
  })

  it('refuses a database whose recorded migration differs from the shipped one', () => {
    const file = join(newDir(), 'fieldjobs.db')
    openDatabase(file).close()
    const db = new Database(file)
    const edited = migrations.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m))
    expect(() => migrate(db, edited)).toThrow(/migration 1 \(0001-initial\) differs/)
    db.close()
  })

  it('refuses a database from a newer schema and leaves it untouched', () => {
    const file = join(newDir(), 'fieldjobs.db')
    openDatabase(file).close()
    const raw = new Database(file)
    raw.prepare(`INSERT INTO schema_migrations VALUES (999, '0999-future', 'x', '2030-01-01')`).run()
    raw.close()
    const before = readFileSync(file)
    expect(() => openDatabase(file)).toThrow(/written by a newer Fieldjobs \(schema 999/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('gives a clear error for a corrupt file and never overwrites it', () => {
    const file = join(newDir(), 'fieldjobs.db')
    const garbage = Buffer.from('this is not a database, it is a shopping list\n'.repeat(200))
    writeFileSync(file, garbage)
    expect(() => openDatabase(file)).toThrow(/is damaged .* left untouched/)
    expect(readFileSync(file).equals(garbage)).toBe(true)
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('takes a consistent copy while the database is in use', async () => {
    const dir = newDir()
    const core = FieldjobsCore.open({ dataDir: dir })
    const site = addSite(core)
    for (let i = 0; i < 50; i++) core.jobs.create(validJob(site.id))
    const copy = join(dir, 'copy.db')
    await copyDatabase(core.db, copy)
    const copied = new Database(copy, { readonly: true })
    expect((copied.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n).toBe(50)
    copied.close()
    await core.close()
  })
})
