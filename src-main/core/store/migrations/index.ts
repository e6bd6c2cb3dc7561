// The numbered migrations, in order. Add a file and a line; never edit or reorder a shipped one.
import { sql as initial } from './0001-initial'
import { sql as backups } from './0002-backups'
import { sql as siteHealth } from './0003-site-health'
import { sql as cloudSync } from './0004-cloud-sync'
import { sql as queueIndexes } from './0006-queue-indexes'
import { sql as backupHistory } from './0009-backup-history'
import { sql as fleet } from './0010-fleet'
import { sql as jobProgress } from './0011-job-progress'
import { sql as siteMac } from './0012-site-mac'
import { sql as queueIndex } from './0013-queue-index'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const migrations: readonly Migration[] = [
  { version: 1, name: '0001-initial', sql: initial },
  { version: 2, name: '0002-backups', sql: backups },
  { version: 3, name: '0003-site-health', sql: siteHealth },
  { version: 4, name: '0004-cloud-sync', sql: cloudSync },
  { version: 6, name: '0006-queue-indexes', sql: queueIndexes },
  { version: 9, name: '0009-backup-history', sql: backupHistory },
  { version: 10, name: '0010-fleet', sql: fleet },
  { version: 11, name: '0011-job-progress', sql: jobProgress },
  { version: 12, name: '0012-site-mac', sql: siteMac },
  { version: 13, name: '0013-queue-index', sql: queueIndex },
]
