// What every screen needs at hand: the sites (for names and pickers) and the app status (for the
// status bar and the "will sync" notices). Both are loaded once and kept current by core events.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { CoreEvent } from '../../../src-main/contract/events'
import type { AppStatus } from '../../../src-main/contract/ipc-contract'
import type { Site } from '../../../src-main/contract/site-schema'
import { useApi, useCoreEvents } from '../api/api-context'
import { errorMessage } from '../api/error-message'

export interface BatchProgress {
  batch_id: string
  done: number
  total: number
  failed: number
}

interface AppData {
  sites: Site[]
  sitesLoaded: boolean
  siteName(id: string): string
  reloadSites(): Promise<void>
  /** Reads the status again now (after a change no event announces, such as a new cloud token). */
  refreshStatus(): Promise<void>
  status: AppStatus | null
  statusError: string | null
  batches: BatchProgress[]
  /** False while the window has lost the core (`fieldjobs serve` stopped): what it shows may be stale. */
  connected: boolean
  /** Moves each time the connection comes back: screens reload what they show, since events were missed. */
  generation: number
}

const AppDataContext = createContext<AppData | null>(null)

export function useAppData(): AppData {
  const data = useContext(AppDataContext)
  if (!data) throw new Error('useAppData needs <AppDataProvider>')
  return data
}

const STATUS_REFRESH_MS = 250

type SiteEvent = Extract<CoreEvent, { type: 'site.changed' | 'site.removed' }>

function applySiteEvent(sites: Site[], event: SiteEvent): Site[] {
  const others = sites.filter((site) => site.id !== (event.type === 'site.changed' ? event.site.id : event.site_id))
  return event.type === 'site.changed' ? [...others, event.site] : others
}

const byName = (a: Site, b: Site) => a.name.localeCompare(b.name)

export function AppDataProvider({ children }: { children: ReactNode }) {
  const api = useApi()
  const [sites, setSites] = useState<Site[]>([])
  const [sitesLoaded, setSitesLoaded] = useState(false)
  const [status, setStatus] = useState<AppStatus | null>(null)
  const [statusError, setStatusError] = useState<string | null>(null)
  const [batches, setBatches] = useState<BatchProgress[]>([])
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const [connected, setConnected] = useState(true)
  const [generation, setGeneration] = useState(0)

  /** One list per sites:list on its way: the site events heard meanwhile, replayed onto its answer. */
  const heardWhileLoading = useRef(new Set<SiteEvent[]>())

  const reloadSites = useCallback(async () => {
    const heard: SiteEvent[] = []
    heardWhileLoading.current.add(heard)
    try {
      const list = await api['sites:list']({})
      // Each event is the site's state when it happened, so replaying them in order ends every site
      // at the list's state or a newer one: a site added or removed during the read is not lost.
      setSites(heard.reduce(applySiteEvent, [...list]).sort(byName))
      setSitesLoaded(true)
    } finally {
      heardWhileLoading.current.delete(heard)
    }
  }, [api])

  const refreshStatus = useCallback(async () => {
    try {
      setStatus(await api['status:get']({}))
      setStatusError(null)
    } catch (error) {
      setStatusError(errorMessage(error))
    }
  }, [api])

  useEffect(() => {
    void reloadSites().catch(() => setSitesLoaded(true))
    void refreshStatus()
    return () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current)
    }
  }, [reloadSites, refreshStatus])

  // The browser transport reports its event stream; Electron's IPC never drops, so it has no such report.
  useEffect(() => {
    if (!api.onConnection) return
    let lost = false
    return api.onConnection((state) => {
      if (state === 'reconnecting') {
        lost = true
        setConnected(false)
      } else if (state === 'open' && lost) {
        lost = false
        setConnected(true)
        setGeneration((value) => value + 1)
        void reloadSites().catch(() => {})
        void refreshStatus()
      }
    })
  }, [api, reloadSites, refreshStatus])

  // Many events arrive in bursts (a batch of 50 jobs): one status call per burst is enough.
  const scheduleStatus = useCallback(() => {
    if (refreshTimer.current) return
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null
      void refreshStatus()
    }, STATUS_REFRESH_MS)
  }, [refreshStatus])

  useCoreEvents((event) => {
    switch (event.type) {
      case 'site.changed':
      case 'site.removed':
        for (const heard of heardWhileLoading.current) heard.push(event)
        setSites((current) => applySiteEvent(current, event).sort(byName))
        return
      case 'sync.status':
        setStatus((current) =>
          current
            ? { ...current, cloud_online: event.online, waiting_to_sync: event.waiting, last_sync_error: event.last_error }
            : current,
        )
        scheduleStatus()
        return
      case 'batch.progress':
        setBatches((current) => [
          ...current.filter((batch) => batch.batch_id !== event.batch_id),
          { batch_id: event.batch_id, done: event.done, total: event.total, failed: event.failed },
        ])
        return
      case 'job.created':
      case 'job.changed':
      // Saved in another window or by `fieldjobs settings set`: the cloud may be configured now, or no longer.
      case 'settings.changed':
        scheduleStatus()
        return
      default:
        return
    }
  })

  // Built when the sites change, not on every status or batch event.
  const siteName = useMemo(() => {
    const names = new Map(sites.map((site) => [site.id, site.name]))
    return (id: string) => names.get(id) ?? id.slice(0, 8)
  }, [sites])

  const value = useMemo<AppData>(
    () => ({ sites, sitesLoaded, siteName, reloadSites, refreshStatus, status, statusError, batches, connected, generation }),
    [sites, sitesLoaded, siteName, reloadSites, refreshStatus, status, statusError, batches, connected, generation],
  )

  return <AppDataContext.Provider value={value}>{children}</AppDataContext.Provider>
}
