// The core's stores over one data folder: the database, jobs, sites, backups and settings, without
// the services that validate input or run jobs. Commands that only read (`fieldjobs site list`,
// `job list`) open just this, because nothing in it builds a zod schema: loading zod and building
// the schemas was about 30 ms of `site list`'s start (npm run bench -- cli). FieldjobsCore adds the
// services on top.
import { join } from 'node:path'
import { BackupStore } from '../backups/backup-store'
import { type Clock, systemClock } from '../clock'
import { EventBus } from '../events/event-bus'
import { KeyFileSecretStore } from '../secrets/key-file-secret-store'
import type { SecretStore } from '../secrets/secret-store'
import { type Db, openDatabase } from '../store/database'
import { JobStore } from '../store/job-store'
import { SettingsStore } from '../settings/settings-store'
import { SiteStore } from '../store/site-store'
import { DATABASE_FILE } from './data-dir'

export interface FieldjobsCoreOptions {
  dataDir: string
  clock?: Clock
  secrets?: SecretStore
}

export class FieldjobsStores {
  readonly db: Db
  readonly events = new EventBus()
  readonly jobStore: JobStore
  readonly siteStore: SiteStore
  readonly backups: BackupStore
  readonly settings: SettingsStore
  readonly secrets: SecretStore
  readonly clock: Clock

  protected constructor(readonly dataDir: string, options: FieldjobsCoreOptions) {
    this.clock = options.clock ?? systemClock
    this.db = openDatabase(join(dataDir, DATABASE_FILE))
    this.secrets = options.secrets ?? new KeyFileSecretStore(dataDir)
    const publish = this.events.publish.bind(this.events)
    this.jobStore = new JobStore(this.db, this.clock, publish)
    this.siteStore = new SiteStore(this.db, this.clock, publish)
    this.backups = new BackupStore(this.db, join(dataDir, 'backups'), publish)
    this.settings = new SettingsStore(this.db)
  }

  static open(options: FieldjobsCoreOptions): FieldjobsStores {
    return new FieldjobsStores(options.dataDir, options)
  }

  async close(): Promise<void> {
    this.db.close()
  }
}
