// The window: a dark sidebar with the screens, the screen itself, and the status bar. Navigation is
// by hash, so every place has a link and the keyboard map only sets the hash.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { FieldjobsApi } from '../../../src-main/contract/ipc-contract'
import { ApiProvider } from '../api/api-context'
import { BackupsScreen } from '../backups/BackupsScreen'
import { DiscoverScreen } from '../discover/DiscoverScreen'
import { JobsScreen } from '../jobs/JobsScreen'
import { ShortcutsHelp } from '../keyboard/ShortcutsHelp'
import { isTyping, navAfterG, navByAltDigit, navByKey, navShortcuts } from '../keyboard/shortcuts'
import { NewJobScreen } from '../new-job/NewJobScreen'
import { SettingsScreen } from '../settings/SettingsScreen'
import { SitesScreen } from '../sites/SitesScreen'
import { ConnectionBanner } from '../status/ConnectionBanner'
import { StatusBar } from '../status/StatusBar'
import { AppDataProvider } from './app-data'
import { navigate, parseRoute, routeHref } from './route'

const subscribeHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}
const readHash = () => window.location.hash

/** `g` then a letter, within this long. */
const G_PREFIX_MS = 1200

export function App({ api }: { api: FieldjobsApi }) {
  return (
    <ApiProvider value={api}>
      <AppDataProvider>
        <Shell />
      </AppDataProvider>
    </ApiProvider>
  )
}

function Shell() {
  const hash = useSyncExternalStore(subscribeHash, readHash)
  const route = parseRoute(hash)
  const [helpOpen, setHelpOpen] = useState(false)
  const gPressedAt = useRef(0)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && helpOpen) {
        setHelpOpen(false)
        event.stopImmediatePropagation()
        return
      }
      const altScreen = event.altKey && !event.ctrlKey && !event.metaKey ? navByAltDigit(event.code) : undefined
      const keyScreen = navByKey.get(event.key)
      if (altScreen) {
        event.preventDefault()
        navigate(routeHref(altScreen))
        return
      }
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return
      const afterG = Date.now() - gPressedAt.current < G_PREFIX_MS
      gPressedAt.current = 0
      if (afterG) {
        const screen = navAfterG.get(event.key)
        if (screen) {
          event.preventDefault()
          event.stopImmediatePropagation()
          navigate(routeHref(screen))
          return
        }
      }
      if (event.key === 'g') {
        gPressedAt.current = Date.now()
        event.stopImmediatePropagation()
      } else if (event.key === '?') {
        setHelpOpen(true)
      } else if (keyScreen) {
        event.preventDefault()
        navigate(routeHref(keyScreen))
      } else if (event.key === '/' && route.screen !== 'jobs') {
        // The jobs screen focuses its search box; from anywhere else, go there first.
        event.preventDefault()
        navigate(routeHref('jobs', undefined, { focus: 'search' }))
      }
    }
    // Capture: the shell sees keys before the screens, so Esc closes the help first.
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [helpOpen, route.screen])

  return (
    <div className="app" data-testid="app">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">Fieldjobs</div>
        <ul>
          {navShortcuts.map((item, index) => (
            <li key={item.screen}>
              <a
                href={routeHref(item.screen)}
                className={route.screen === item.screen ? 'active' : undefined}
                aria-current={route.screen === item.screen ? 'page' : undefined}
                data-testid={`nav-${item.screen}`}
              >
                <span>{item.label}</span>
                <kbd title={`${item.key} or Alt+${index + 1}`}>{item.key}</kbd>
              </a>
            </li>
          ))}
        </ul>
        <button type="button" className="link help-button" onClick={() => setHelpOpen(true)} data-testid="open-shortcuts">
          Shortcuts (?)
        </button>
      </nav>
      <main className="screen" data-testid={`screen-${route.screen}`}>
        <ConnectionBanner />
        {route.screen === 'jobs' && <JobsScreen route={route} />}
        {route.screen === 'new' && <NewJobScreen route={route} />}
        {route.screen === 'sites' && <SitesScreen route={route} />}
        {route.screen === 'backups' && <BackupsScreen route={route} />}
        {route.screen === 'discover' && <DiscoverScreen route={route} />}
        {route.screen === 'settings' && <SettingsScreen />}
      </main>
      <StatusBar />
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  )
}
