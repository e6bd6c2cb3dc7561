// Applies numbered migrations, each in its own transaction, and records each one's SHA-256 so an
// edited migration, or a database written by a newer Fieldjobs, fails loudly instead of being
// "fixed" in place.
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { FieldjobsError } from '../errors'
import { type Migration, migrations as shippedMigrations } from './migrations/index'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

interface AppliedMigration {
  version: number
  name: string
  sha256: string
}

export function migrate(db: Database.Database, migrations: readonly Migration[] = shippedMigrations): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  const applied = db
    .prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[]

  const newest = migrations.at(-1)?.version ?? 0
  for (const row of applied) {
    if (row.version > newest) {
      throw new FieldjobsError(
        'database',
        `this data folder was written by a newer Fieldjobs (schema ${row.version}, this one knows up to ${newest}); ` +
          'update Fieldjobs, or point --data-dir elsewhere. The database was not changed.',
      )
    }
    const known = migrations.find((migration) => migration.version === row.version)
    if (!known || sha256(known.sql) !== row.sha256) {
      throw new FieldjobsError(
        'database',
        `migration ${row.version} (${row.name}) differs from the one this database recorded; ` +
          'the database was not changed.',
      )
    }
  }

  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)')
  for (const migration of migrations) {
    if (applied.some((row) => row.version === migration.version)) continue
    db.transaction(() => {
      db.exec(migration.sql)
      record.run(migration.version, migration.name, sha256(migration.sql), new Date().toISOString())
    })()
  }
}
