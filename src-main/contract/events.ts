// What the core announces. The UI (over IPC or the browser bridge) and the CLI subscribe to these;
// nothing polls the database to learn that a job moved.
import type { Backup } from './ipc-contract'
import type { Job, JobStatus } from './job-schema'
import type { Site } from './site-schema'

export type CoreEvent =
  | { type: 'job.created'; job: Job }
  | { type: 'job.changed'; job: Job; from: JobStatus }
  | { type: 'job.progress'; job_id: string; message: string; at: string }
  | { type: 'site.changed'; site: Site }
  | { type: 'site.removed'; site_id: string }
  | { type: 'site.health'; site_id: string; online: boolean; at: string }
  /** `online` null: the cloud not tried yet, as after its settings changed (or none is configured). */
  | { type: 'sync.status'; online: boolean | null; waiting: number; last_error: string | null }
  /**
   * Settings were saved (here or by another process on the data folder); read them again. `cloud`:
   * the cloud API URL or token was among them, so the cloud sync restarts with the new ones.
   */
  | { type: 'settings.changed'; cloud: boolean }
  | { type: 'batch.progress'; batch_id: string; done: number; total: number; failed: number }
  /** A backup was recorded: by a job, the schedule, "Back up now" or `fieldjobs backup run`, here or elsewhere. */
  | { type: 'backup.created'; backup: Backup }
