// What the running app writes to its log: job transitions and progress, sites going offline and
// back, cloud sync errors, certificates pinned. It listens to the core's events, so no part of the
// core has to remember to log. Every line is redacted against the secrets this data folder holds.
import { join } from 'node:path'
import type { CoreEvent } from '../../contract/events'
import type { FieldjobsCore } from '../app/fieldjobs-core'
import type { EventOrigin } from '../events/event-bus'
import { CLOUD_TOKEN_REF } from '../settings/settings-store'
import { JsonLinesLog, type LogLevel } from './json-lines-log'

export interface RuntimeLogOptions {
  /** FIELDJOBS_API_TOKEN, when the token comes from the environment. */
  env?: NodeJS.ProcessEnv
}

export interface RuntimeLog {
  readonly log: JsonLinesLog
  stop(): void
}

const logDirOf = (dataDir: string) => join(dataDir, 'logs')

export function startRuntimeLog(core: FieldjobsCore, options: RuntimeLogOptions = {}): RuntimeLog {
  // Every secret seen in this process stays known: an old password may still be in a late error.
  const known = new Set<string>()
  const envToken = options.env?.FIELDJOBS_API_TOKEN?.trim()
  if (envToken) known.add(envToken)
  // The secret references to (re)read before the next line: all of them at first, then only the
  // one a site.changed names. Re-reading every site's secret on every change made the first pins
  // of a 300-site fan-out take 22 s (each read may be a keyring process or a file parse).
  const pending = new Set<string>([CLOUD_TOKEN_REF, ...core.siteStore.list().map((site) => site.secret_ref)])
  let list: readonly string[] = [...known]
  const knownSecrets = (): readonly string[] => {
    if (pending.size === 0) return list
    for (const ref of pending) {
      try {
        const secret = core.secrets.get(ref)
        if (secret) known.add(secret)
      } catch {
        // A keyring that cannot be read now cannot have leaked its secret into this line either.
      }
    }
    pending.clear()
    list = [...known]
    return list
  }
  const log = new JsonLinesLog({ dir: logDirOf(core.dataDir), knownSecrets, now: () => core.clock.now() })

  const online = new Map<string, boolean>()
  let lastSyncError: string | null = null
  const onEvent = (event: CoreEvent, origin: EventOrigin): void => {
    // A password changed elsewhere must be known here too, or a late error could leak it.
    if (event.type === 'site.changed') pending.add(event.site.secret_ref)
    // Another process's doings are in this file already: that process wrote them.
    if (origin.elsewhere) return
    switch (event.type) {
      case 'job.created':
        log.write('info', 'job.created', { job_id: event.job.id, site_id: event.job.site_id, route: event.job.route })
        return
      case 'job.changed': {
        const { job, from } = event
        if (from === job.status) return
        const level: LogLevel = job.status === 'failed' || job.status === 'unknown' ? 'error' : job.error ? 'warn' : 'info'
        log.write(level, 'job.transition', {
          job_id: job.id,
          site_id: job.site_id,
          from,
          to: job.status,
          attempts: job.attempts,
          ...(job.error ? { error: job.error } : {}),
        })
        return
      }
      case 'job.progress':
        log.write(/^warning\b/i.test(event.message) ? 'warn' : 'info', 'job.progress', { job_id: event.job_id, message: event.message })
        return
      case 'site.changed':
        log.write('info', 'site.changed', {
          site_id: event.site.id,
          name: event.site.name,
          host: event.site.host,
          port: event.site.api_port,
          tls: event.site.tls,
          tls_fingerprint: event.site.tls_fingerprint,
          allow_anonymous_dh: event.site.allow_anonymous_dh,
        })
        return
      case 'site.removed':
        log.write('info', 'site.removed', { site_id: event.site_id })
        return
      case 'site.health':
        // Probes repeat every few seconds: only a change is worth a line.
        if (online.get(event.site_id) === event.online) return
        online.set(event.site_id, event.online)
        log.write(event.online ? 'info' : 'warn', event.online ? 'site.online' : 'site.offline', { site_id: event.site_id })
        return
      case 'backup.created':
        log.write('info', 'backup.created', {
          site_id: event.backup.site_id,
          path: event.backup.path,
          changed: event.backup.changed,
          job_id: event.backup.job_id,
        })
        return
      case 'sync.status':
        if (event.last_error === lastSyncError) return
        lastSyncError = event.last_error
        // A new token may be why the error changed.
        pending.add(CLOUD_TOKEN_REF)
        if (event.last_error) log.write('warn', 'cloud.sync_error', { error: event.last_error, waiting: event.waiting })
        else log.write('info', 'cloud.sync_ok', { waiting: event.waiting })
        return
      default:
        return
    }
  }
  const unsubscribe = core.events.subscribe(onEvent)
  log.write('info', 'runtime.started', { secrets: core.secrets.description })
  return {
    log,
    stop() {
      unsubscribe()
      log.write('info', 'runtime.stopped')
      log.close()
    },
  }
}
