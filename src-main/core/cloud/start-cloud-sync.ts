// Starts the cloud side of Fieldjobs on a core: the client (from settings, secrets and the
// environment), the sync engine, and the cancel port JobService calls for jobs the cloud holds.
// `fieldjobs run`, `fieldjobs sync` and the Electron main process all start it through here.
import type { FieldjobsCore } from '../app/fieldjobs-core'
import { CloudClient, type CloudClientOptions } from './cloud-client'
import { type CloudConfig, resolveCloudConfig } from './cloud-config'
import type { RateLimit } from './request-pacer'
import { DEFAULT_SYNC_CONCURRENCY, SyncEngine, type SyncEngineOptions, type SyncStatus } from './sync-engine'

export interface CloudSyncOptions extends Partial<Omit<SyncEngineOptions, 'core' | 'client'>> {
  /** FIELDJOBS_API_URL / FIELDJOBS_API_TOKEN override the settings (the CLI passes its env). */
  env?: NodeJS.ProcessEnv
  rateLimit?: RateLimit | null
  client?: Partial<Omit<CloudClientOptions, 'baseUrl' | 'token'>>
  /** false: build everything but do not start the engine (for `sync --once`). */
  start?: boolean
}

export interface CloudSyncHandle {
  /** false when no token is set: nothing syncs, jobs wait in the outbox. */
  readonly configured: boolean
  readonly config: CloudConfig
  readonly engine: SyncEngine | undefined
  readonly client: CloudClient | undefined
  status(): SyncStatus
  stop(): Promise<void>
}

export function startCloudSync(core: FieldjobsCore, options: CloudSyncOptions = {}): CloudSyncHandle {
  const config = resolveCloudConfig(core, options.env)
  if (!config.token) {
    return {
      configured: false,
      config,
      engine: undefined,
      client: undefined,
      // Not configured is a state the status bar says in its own words ("cloud: not configured"),
      // not an error: an engineer who works on the LAN only must not see a red line for ever.
      status: () => ({ online: null, waiting: core.jobStore.countWaitingToSync(), last_error: null }),
      stop: async () => undefined,
    }
  }
  const { env: _env, rateLimit, client: clientOptions, start = true, ...engineOptions } = options
  const client = new CloudClient({
    baseUrl: config.baseUrl,
    token: config.token,
    rateLimit,
    log: engineOptions.log,
    maxSockets: Math.max(engineOptions.concurrency ?? DEFAULT_SYNC_CONCURRENCY, 4),
    ...clientOptions,
  })
  const engine = new SyncEngine({ core, client, ...engineOptions })
  core.jobs.setCancelPorts({ cloudCancelRequested: () => engine.cloudCancelRequested() })
  if (start) engine.start()
  return {
    configured: true,
    config,
    engine,
    client,
    status: () => engine.status(),
    stop: async () => {
      core.jobs.setCancelPorts({ cloudCancelRequested: undefined })
      await engine.stop()
      client.close()
    },
  }
}
