// Settings: small typed values in the settings table. The cloud token is a secret and lives in the
// secret store; here is only whether it is set.
import type { Statement } from 'better-sqlite3'
import type { Settings } from '../../contract/ipc-contract'
import { CommitWatch } from '../store/data-version'
import type { Db } from '../store/database'

/** The contract's Settings without the token fields: those come from the secret store. */
export type SettingValues = Omit<Settings, 'cloud_token_set' | 'cloud_token_hint'>

const defaultSettings: SettingValues = {
  cloud_api_url: 'https://v1.api.altostrat.io',
  concurrency: 16,
  probe_interval_s: 300,
  default_revert_after_s: null,
  backup_interval_h: 0,
}

export const CLOUD_TOKEN_REF = 'cloud:token'

/**
 * When the cloud token was last set or removed. The token lives in the secret store, which another
 * process cannot watch; this row in the settings table is how it learns that the token changed
 * (other-writers.ts), without the token. Not a setting: get() never returns it.
 */
export const CLOUD_TOKEN_CHANGED_KEY = 'cloud_token_changed_at'

export class SettingsStore {
  // Every job created reads the settings (its default revert window), so they are kept here and
  // read again only when they may have changed: after update(), or when another connection (the
  // CLI, a second window) committed.
  private readonly readAll: Statement
  private readonly commits: CommitWatch
  private cached: SettingValues | undefined

  constructor(private readonly db: Db) {
    this.readAll = db.prepare('SELECT key, value FROM settings')
    this.commits = new CommitWatch(db)
  }

  get(): SettingValues {
    if (this.commits.changedElsewhere()) this.cached = undefined
    if (this.cached) return { ...this.cached }
    const rows = this.readAll.all() as Array<{ key: string; value: string }>
    const values: Record<string, unknown> = { ...defaultSettings }
    for (const row of rows) if (row.key in defaultSettings) values[row.key] = JSON.parse(row.value)
    this.cached = values as unknown as SettingValues
    return { ...this.cached }
  }

  /** Stores the values given; `cloudTokenChangedAt` records, in the same commit, that the token changed. */
  update(patch: Partial<SettingValues>, options: { cloudTokenChangedAt?: string } = {}): SettingValues {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined && key in defaultSettings) upsert.run(key, JSON.stringify(value))
      }
      if (options.cloudTokenChangedAt) upsert.run(CLOUD_TOKEN_CHANGED_KEY, JSON.stringify(options.cloudTokenChangedAt))
    })()
    this.cached = undefined // see CommitWatch
    return this.get()
  }
}
