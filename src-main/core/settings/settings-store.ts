// Settings: small typed values in the settings table. The cloud token is a secret and lives in the
// secret store; here is only whether it is set.
import type { Db } from '../store/database'

export interface SettingValues {
  cloud_api_url: string
  concurrency: number
  probe_interval_s: number
  default_revert_after_s: number | null
}

export const defaultSettings: SettingValues = {
  cloud_api_url: 'https://v1.api.altostrat.io',
  concurrency: 16,
  probe_interval_s: 300,
  default_revert_after_s: null,
}

export const CLOUD_TOKEN_REF = 'cloud:token'

export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(): SettingValues {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>
    const values: Record<string, unknown> = { ...defaultSettings }
    for (const row of rows) if (row.key in defaultSettings) values[row.key] = JSON.parse(row.value)
    return values as unknown as SettingValues
  }

  update(patch: Partial<SettingValues>): SettingValues {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined && key in defaultSettings) upsert.run(key, JSON.stringify(value))
      }
    })()
    return this.get()
  }
}
