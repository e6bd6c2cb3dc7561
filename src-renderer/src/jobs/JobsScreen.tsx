// Jobs: the whole history, newest first, filtered by site, status, route and a search; the open
// job's detail sits beside the list so the engineer keeps their place.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { JobRoute, JobStatus } from '../../../src-main/contract/job-schema'
import { jobRoutes, jobStatuses } from '../../../src-main/contract/job-values'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'
import { useAppData } from '../app/app-data'
import { navigate, type Route, routeHref } from '../app/route'
import { isTyping } from '../keyboard/shortcuts'
import { cancelOutcomeText } from './cancel-outcome'
import { JobDetail } from './JobDetail'
import { JobList, ROW_HEIGHT } from './JobList'
import { type JobFilter, JobWindow } from './job-window'
import { routeLabels, statusLabels } from './job-wording'

/** Typing settles this long before the list asks again: one query per word, not per letter. */
const SEARCH_SETTLE_MS = 30

/** One filter of the list: "all" (the empty value) or one option. */
function FilterSelect(props: {
  label: string
  value: string
  onChange(value: string): void
  options: ReadonlyArray<readonly [value: string, text: string]>
  testId: string
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)} data-testid={props.testId}>
        <option value="">all</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
}

export function JobsScreen({ route }: { route: Route }) {
  const api = useApi()
  const { sites, siteName, generation } = useAppData()
  const [siteId, setSiteId] = useState(route.params.site ?? '')
  const [status, setStatus] = useState<JobStatus | ''>((route.params.status as JobStatus) ?? '')
  const [jobRoute, setJobRoute] = useState<JobRoute | ''>('')
  const [searchText, setSearchText] = useState('')
  const [search, setSearch] = useState('')
  const [jobs, setJobs] = useState<JobWindow | null>(null)
  /** The window whose first page is being read (a new filter, or the first load). */
  const loading = useRef<JobWindow | null>(null)
  const [version, setVersion] = useState(0)
  const [selected, setSelected] = useState(-1)
  const [scrollRequest, setScrollRequest] = useState(0)
  const [notice, setNotice] = useState<string | null>(null)
  const searchInput = useRef<HTMLInputElement>(null)
  const openId = route.id

  useEffect(() => {
    if (route.params.site !== undefined) setSiteId(route.params.site)
  }, [route.params.site])

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText), SEARCH_SETTLE_MS)
    return () => clearTimeout(timer)
  }, [searchText])

  // A new filter gets a new window; the old rows stay on screen until the new ones have landed.
  useEffect(() => {
    const filter: JobFilter = {
      site_id: siteId || undefined,
      statuses: status ? [status] : undefined,
      route: jobRoute || undefined,
      search: search || undefined,
    }
    const next = new JobWindow((request) => api['jobs:list'](request), filter, () => setVersion((v) => v + 1))
    loading.current = next
    const rowsInView = Math.ceil((globalThis.innerHeight || 800) / ROW_HEIGHT) + 20
    void next.start(rowsInView).then(() => {
      // Still `loading` until the screen draws with it (the effect below): an event between this
      // and that render would otherwise reach only the window being replaced, and be lost.
      setJobs((previous) => {
        previous?.dispose()
        return next
      })
      setSelected(-1)
    })
    return () => next.dispose()
    // generation: the connection came back after events were missed, so the list is reloaded.
  }, [api, siteId, status, jobRoute, search, generation])

  useEffect(() => {
    if (loading.current === jobs) loading.current = null
  }, [jobs])

  // The window on its way hears events too: it replays them onto its first page when it lands, or
  // applies them at once if it has landed but is not on screen yet.
  useCoreEvents((event) => {
    const coming = loading.current
    const changed = [coming, coming === jobs ? null : jobs].map((window) => window?.apply(event) ?? false)
    if (changed.some(Boolean)) setVersion((v) => v + 1)
  })

  useEffect(() => {
    if (route.params.focus === 'search') searchInput.current?.focus()
  }, [route.params.focus])

  // The open job becomes the selection, so arrows continue from it.
  useEffect(() => {
    if (!jobs || !openId) return
    const index = jobs.rows.findIndex((row) => row?.id === openId)
    if (index >= 0) setSelected(index)
  }, [jobs, openId])

  const cancelJob = useCallback(
    async (id: string, token: string) => {
      setNotice(`canceling ${token}…`)
      try {
        const result = await api['jobs:cancel']({ id })
        setNotice(`${token}: ${cancelOutcomeText(result)}`)
      } catch (error) {
        setNotice(`${token}: cancel failed: ${errorMessage(error)}`)
      }
    },
    [api],
  )

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      if (isTyping(event.target)) {
        if (event.key === 'Escape' && event.target === searchInput.current) searchInput.current?.blur()
        if (event.key === 'ArrowDown' && event.target === searchInput.current) {
          event.preventDefault()
          searchInput.current?.blur()
          setSelected(0)
          setScrollRequest((n) => n + 1)
        }
        return
      }
      if (document.querySelector('[role="dialog"]')) return
      const total = jobs?.total ?? 0
      const move = (delta: number) => {
        event.preventDefault()
        setSelected((current) => Math.max(0, Math.min(total - 1, (current < 0 ? -1 : current) + delta)))
        setScrollRequest((n) => n + 1)
      }
      const selectedJob = selected >= 0 ? jobs?.rows[selected] : undefined
      switch (event.key) {
        case '/':
          event.preventDefault()
          searchInput.current?.focus()
          searchInput.current?.select()
          return
        case 'ArrowDown':
        case 'j':
          return move(1)
        case 'ArrowUp':
        case 'k':
          return move(-1)
        case 'PageDown':
          return move(20)
        case 'PageUp':
          return move(-20)
        case 'Enter':
          if (selectedJob && !(event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement)) {
            event.preventDefault()
            navigate(routeHref('jobs', selectedJob.id))
          }
          return
        case 'c': {
          const target = selectedJob ?? (openId ? jobs?.rows.find((row) => row?.id === openId) : undefined)
          if (target) {
            event.preventDefault()
            void cancelJob(target.id, target.token)
          }
          return
        }
        case 'Escape':
          if (openId) {
            event.preventDefault()
            navigate(routeHref('jobs'))
          }
          return
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [jobs, selected, openId, cancelJob])

  return (
    <div className={`jobs-screen${openId ? ' with-detail' : ''}`}>
      <section className="jobs-main" aria-label="Job history">
        <div className="toolbar" role="search">
          <label className="search">
            <span className="visually-hidden">Search token, description or script</span>
            <input
              ref={searchInput}
              type="search"
              placeholder="Search token, description, script  ( / )"
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
              data-testid="job-search"
            />
          </label>
          <FilterSelect
            label="site"
            value={siteId}
            onChange={setSiteId}
            options={sites.map((site) => [site.id, site.name] as const)}
            testId="filter-site"
          />
          <FilterSelect
            label="status"
            value={status}
            onChange={(value) => setStatus(value as JobStatus | '')}
            options={jobStatuses.map((name) => [name, statusLabels[name]] as const)}
            testId="filter-status"
          />
          <FilterSelect
            label="route"
            value={jobRoute}
            onChange={(value) => setJobRoute(value as JobRoute | '')}
            options={jobRoutes.map((name) => [name, routeLabels[name]] as const)}
            testId="filter-route"
          />
          <span className="count" data-testid="job-total">
            {jobs ? `${jobs.total.toLocaleString('en')} jobs` : 'loading…'}
          </span>
          <a className="button primary" href={routeHref('new')} data-testid="new-job-link">
            New job (n)
          </a>
        </div>
        {notice && (
          <div className="notice" role="status" data-testid="list-notice">
            {notice}
          </div>
        )}
        {jobs?.error && (
          <div className="notice error" role="alert">
            {jobs.error}
          </div>
        )}
        {jobs && !jobs.error && jobs.total === 0 && (
          <div className="empty" data-testid="jobs-empty">
            {siteId || status || jobRoute || search ? 'No jobs match this filter.' : 'No jobs yet. Queue one with New job (n).'}
          </div>
        )}
        {jobs && (
          <JobList
            window={jobs}
            version={version}
            selected={selected}
            openId={openId}
            siteName={siteName}
            onSelect={setSelected}
            scrollRequest={scrollRequest}
          />
        )}
      </section>
      {openId && <JobDetail key={openId} jobId={openId} onClose={() => navigate(routeHref('jobs'))} />}
    </div>
  )
}
