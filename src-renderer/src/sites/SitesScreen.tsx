// Sites: the routers the engineer works on; add, edit, remove, test the connection, see health,
// and jump to a site's jobs and backups.
import { useCallback, useEffect, useState } from 'react'
import type { Backup, HealthSample } from '../../../src-main/contract/ipc-contract'
import type { Job } from '../../../src-main/contract/job-schema'
import type { Site } from '../../../src-main/contract/site-schema'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { navigate, type Route, routeHref } from '../app/route'
import { formatTime } from '../jobs/job-wording'
import { StatusBadge } from '../jobs/StatusBadge'
import { SiteForm } from './SiteForm'
import { SiteGroups } from './SiteGroups'
import { Sparkline } from './Sparkline'

export function SitesScreen({ route }: { route: Route }) {
  const { sites, sitesLoaded, reloadSites } = useAppData()
  const adding = route.params.add === '1'
  const site = sites.find((candidate) => candidate.id === route.id)
  const api = useApi()
  const [online, setOnline] = useState<Record<string, boolean>>({})

  // The last probe is known before the next one runs: start from it, not from grey dots.
  useEffect(() => {
    let live = true
    api['sites:lastHealth']({}).then(
      (latest) =>
        live && setOnline((current) => ({ ...Object.fromEntries(latest.map((entry) => [entry.site_id, entry.online])), ...current })),
      () => undefined, // The dots stay grey ("not checked yet"); the list itself still loads.
    )
    return () => {
      live = false
    }
  }, [api])

  useCoreEvents((event) => {
    if (event.type === 'site.health') setOnline((current) => ({ ...current, [event.site_id]: event.online }))
  })

  return (
    <div className="split">
      <section className="list-pane" aria-label="Sites">
        <div className="toolbar">
          <h1>Sites</h1>
          <a className="button primary" href={routeHref('sites', undefined, { add: '1' })} data-testid="add-site">
            Add site
          </a>
        </div>
        {sitesLoaded && sites.length === 0 && <p className="empty">No sites yet. Add the first router.</p>}
        <ul className="site-list" data-testid="site-list">
          {sites.map((entry) => (
            <li key={entry.id}>
              <a
                href={routeHref('sites', entry.id)}
                className={entry.id === route.id ? 'active' : undefined}
                aria-current={entry.id === route.id ? 'true' : undefined}
                data-testid="site-item"
                data-name={entry.name}
              >
                <span
                  className={`dot ${online[entry.id] === undefined ? '' : online[entry.id] ? 'online' : 'offline'}`}
                  data-testid="site-dot"
                  data-state={online[entry.id] === undefined ? 'unchecked' : online[entry.id] ? 'online' : 'offline'}
                  aria-hidden="true"
                />
                <span className="site-name">{entry.name}</span>
                <span className="mono dim">
                  {entry.host}:{entry.api_port}
                </span>
              </a>
            </li>
          ))}
        </ul>
        {sites.length > 0 && (
          <p className="dot-legend dim" data-testid="dot-legend">
            {/* Each dot with its words, so a wrap never leaves a dot at the end of a line. */}
            <span className="legend-item"><span className="dot online" aria-hidden="true" /> online</span>
            <span className="legend-item"><span className="dot offline" aria-hidden="true" /> offline</span>
            <span className="legend-item"><span className="dot" aria-hidden="true" /> not checked yet (last probe or Test connection)</span>
          </p>
        )}
      </section>
      <section className="detail-pane">
        {adding && (
          <SiteForm
            // From Discover's "Add": what the router announced.
            prefill={{ name: route.params.name, host: route.params.host, port: route.params.port, mac: route.params.mac }}
            onDone={(saved) => {
              void reloadSites()
              navigate(routeHref('sites', saved.id))
            }}
            onCancel={() => navigate(routeHref('sites'))}
          />
        )}
        {!adding && site && (
          <SiteDetail key={site.id} site={site} onHealth={(value) => setOnline((current) => ({ ...current, [site.id]: value }))} />
        )}
        {!adding && !site && route.id && sitesLoaded && <p className="notice error">That site no longer exists.</p>}
        {!adding && !route.id && sites.length > 0 && <p className="empty">Pick a site (Tab, then Enter).</p>}
      </section>
    </div>
  )
}

function SiteDetail({ site, onHealth }: { site: Site; onHealth(online: boolean): void }) {
  const api = useApi()
  const { reloadSites } = useAppData()
  const [editing, setEditing] = useState(false)
  const [confirmRemove, setConfirmRemove] = useState(false)
  // Why the core kept the site (it has jobs or backups), offered as a choice to delete them too.
  const [keptBecause, setKeptBecause] = useState<string | null>(null)
  const [check, setCheck] = useState<{ busy: boolean; sample: HealthSample | null; error: string | null }>({
    busy: false,
    sample: null,
    error: null,
  })
  const [health, setHealth] = useState<HealthSample[]>([])
  // null until loaded: an empty list is said only for a load that worked, never for one that failed.
  const [jobs, setJobs] = useState<Job[] | null>(null)
  const [jobsError, setJobsError] = useState<string | null>(null)
  const [backups, setBackups] = useState<Backup[]>([])
  const [error, setError] = useState<string | null>(null)

  const loadHealth = useCallback(async () => {
    const samples = await api['sites:health']({ id: site.id })
    setHealth(samples)
    const last = samples[samples.length - 1]
    if (last) onHealth(last.online)
    // onHealth is a fresh closure each render; the site id is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, site.id])

  const loadJobs = useCallback(async () => {
    try {
      setJobs((await api['jobs:list']({ site_id: site.id, limit: 15 })).jobs)
      setJobsError(null)
    } catch (failure) {
      // The jobs shown before (if any) stay, marked as not current.
      setJobsError(errorMessage(failure))
    }
  }, [api, site.id])

  useEffect(() => {
    void loadHealth().catch((failure) => setError(errorMessage(failure)))
    void loadJobs()
    api['backups:list']({ site_id: site.id }).then(
      (list) => setBackups(list),
      (failure) => setError(errorMessage(failure)),
    )
  }, [api, site.id, loadHealth, loadJobs])

  useCoreEvents((event) => {
    if (event.type === 'site.health' && event.site_id === site.id) void loadHealth().catch(() => undefined)
    if ((event.type === 'job.created' || event.type === 'job.changed') && event.job.site_id === site.id) {
      void loadJobs().catch(() => undefined)
    }
  })

  const testConnection = async () => {
    setCheck({ busy: true, sample: null, error: null })
    try {
      const sample = await api['sites:check']({ id: site.id })
      setCheck({ busy: false, sample, error: null })
      onHealth(sample.online)
      void loadHealth().catch(() => undefined)
    } catch (failure) {
      setCheck({ busy: false, sample: null, error: errorMessage(failure) })
    }
  }

  // After a router's certificate changed on purpose (re-keyed, replaced): the next connection pins
  // whatever it sees, as `fieldjobs site trust NAME --reset` does.
  const forgetPin = async () => {
    try {
      await api['sites:update']({ id: site.id, tls_fingerprint: null })
      await reloadSites()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }

  const remove = async (purge: boolean) => {
    try {
      await api['sites:remove']({ id: site.id, purge })
      await reloadSites()
      navigate(routeHref('sites'))
    } catch (failure) {
      const message = errorMessage(failure)
      // The core refuses to drop a site's history unless asked to purge it: offer exactly that.
      if (!purge && message.includes('--purge')) setKeptBecause(message.replace(/; to delete the site.*$/, '.'))
      else setError(message)
      setConfirmRemove(false)
    }
  }

  if (editing) {
    return (
      <SiteForm
        site={site}
        onDone={() => {
          setEditing(false)
          void reloadSites()
        }}
        onCancel={() => setEditing(false)}
      />
    )
  }

  const last = check.sample ?? health[health.length - 1] ?? null
  const memoryUsed = health.map((sample) =>
    sample.free_memory !== null && sample.total_memory ? (100 * (sample.total_memory - sample.free_memory)) / sample.total_memory : null,
  )

  return (
    <div className="site-detail" data-testid="site-detail" data-site={site.name}>
      <header className="detail-head">
        <h2>{site.name}</h2>
        <div className="detail-actions">
          <button type="button" className="primary" onClick={testConnection} disabled={check.busy} data-testid="check-site">
            {check.busy ? 'Testing…' : 'Test connection'}
          </button>
          <a className="button" href={routeHref('new', undefined, { site: site.id })}>
            New job here
          </a>
          <button type="button" onClick={() => setEditing(true)} data-testid="edit-site">
            Edit
          </button>
          <button type="button" className="danger" onClick={() => setConfirmRemove(true)} data-testid="remove-site">
            Remove
          </button>
        </div>
      </header>
      {confirmRemove && (
        <div className="notice error" role="alertdialog" aria-label="Confirm removal">
          Remove {site.name}? Its password is deleted from the secret store.{' '}
          <button type="button" className="danger" onClick={() => void remove(false)} data-testid="confirm-remove" autoFocus>
            Remove
          </button>{' '}
          <button type="button" onClick={() => setConfirmRemove(false)}>
            Keep
          </button>
        </div>
      )}
      {keptBecause && (
        <div className="notice error" role="alertdialog" aria-label="Site kept" data-testid="site-kept">
          {keptBecause} Delete the site with all of them?{' '}
          <button type="button" className="danger" onClick={() => void remove(true)} data-testid="purge-site">
            Delete site, jobs and backups
          </button>{' '}
          <button type="button" onClick={() => setKeptBecause(null)} autoFocus>
            Keep everything
          </button>
        </div>
      )}
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <dl className="facts">
        <dt>address</dt>
        <dd className="mono">
          {site.host}:{site.api_port} {site.tls ? '(api-ssl)' : '(api)'}
        </dd>
        <dt>user</dt>
        <dd className="mono">{site.username}</dd>
        <dt>cloud site</dt>
        <dd className="mono">{site.cloud_site_id ?? '—'}</dd>
        <dt>code page</dt>
        <dd>{site.code_page}</dd>
        {site.tls && (
          <>
            <dt>TLS pin</dt>
            <dd className="mono small" data-testid="site-tls-pin">
              {site.tls_fingerprint ? (
                <>
                  {site.tls_fingerprint}{' '}
                  <button type="button" onClick={forgetPin} data-testid="forget-tls-pin" title="The next connection pins the certificate it sees">
                    Forget pin
                  </button>
                </>
              ) : (
                'none yet: the next connection pins the certificate it sees'
              )}
            </dd>
          </>
        )}
        {site.tls && site.allow_anonymous_dh && (
          <>
            <dt>warning</dt>
            <dd className="notice warning" data-testid="site-anonymous-dh-warning">
              anonymous DH is allowed: the router is not authenticated, so a man in the middle cannot be detected
            </dd>
          </>
        )}
        <dt>status</dt>
        <dd data-testid="site-online">
          {last ? (
            <span className={last.online ? 'ok-text' : 'error-text'}>
              {last.online ? 'online' : 'offline'}
              {last.error ? `: ${last.error}` : ''}{' '}
              <span className="dim">({formatTime(last.at)})</span>
            </span>
          ) : (
            <span className="dim">not checked yet</span>
          )}
        </dd>
        <dt>version</dt>
        <dd data-testid="site-version">{last?.version ?? '—'}</dd>
        <dt>board</dt>
        <dd data-testid="site-board">{last?.board ?? '—'}</dd>
        <dt>identity</dt>
        <dd>{last?.identity ?? '—'}</dd>
        <dt>uptime</dt>
        <dd>{last?.uptime ?? '—'}</dd>
      </dl>
      <SiteGroups site={site} />
      {check.error && (
        <div className="notice error" role="alert" data-testid="check-error">
          {check.error}
        </div>
      )}
      <div className="sparklines">
        <Sparkline values={health.map((sample) => sample.cpu_load)} max={100} label="CPU" testId="spark-cpu" />
        <Sparkline values={memoryUsed} max={100} label="memory used" testId="spark-memory" />
      </div>

      <h3>
        Jobs <a href={routeHref('jobs', undefined, { site: site.id })}>all jobs of {site.name}</a>
      </h3>
      {jobsError && (
        <p className="notice error" role="alert" data-testid="site-jobs-error">
          Could not load this site&apos;s jobs{jobs ? ' (the list below may be out of date)' : ''}: {jobsError}
        </p>
      )}
      {jobs === null ? (
        !jobsError && <p className="dim">Loading jobs…</p>
      ) : jobs.length === 0 ? (
        <p className="dim" data-testid="site-jobs-empty">
          No jobs yet.
        </p>
      ) : (
        <table className="mini-table site-jobs" data-testid="site-jobs">
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td className="mono">
                  <a href={routeHref('jobs', job.id)}>{job.token}</a>
                </td>
                <td>
                  <StatusBadge job={job} />
                </td>
                <td className="description" title={job.description}>
                  {job.description}
                </td>
                <td className="mono dim">{formatTime(job.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>
        Backups <a href={routeHref('backups', undefined, { site: site.id })}>open backups</a>
      </h3>
      {backups.length === 0 ? (
        <p className="dim">No backups yet.</p>
      ) : (
        <table className="mini-table" data-testid="site-backups">
          <tbody>
            {backups.slice(0, 10).map((backup) => (
              <tr key={backup.path}>
                <td className="mono">
                  <a href={routeHref('backups', undefined, { site: site.id, path: backup.path })}>{formatTime(backup.created_at)}</a>
                </td>
                <td className="dim">{backup.size.toLocaleString('en')} bytes</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
