// Where the window is, as a hash (#/jobs/<id>, #/backups?site=<id>): links are real links, Back
// works, and Electron's file:// page needs no server-side routing.
export type Screen = 'jobs' | 'new' | 'sites' | 'discover' | 'backups' | 'settings'

export interface Route {
  screen: Screen
  /** jobs: the open job; sites: the open site. */
  id?: string
  params: Record<string, string>
}

const screens: Screen[] = ['jobs', 'new', 'sites', 'discover', 'backups', 'settings']

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?')
  const [first, second] = path.split('/')
  const screen = screens.includes(first as Screen) ? (first as Screen) : 'jobs'
  const params: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(query)) params[key] = value
  return { screen, id: second ? decodeURIComponent(second) : undefined, params }
}

export function routeHref(screen: Screen, id?: string, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value)
  const tail = query.toString()
  return `#/${screen}${id ? `/${encodeURIComponent(id)}` : ''}${tail ? `?${tail}` : ''}`
}

export function navigate(href: string): void {
  if (window.location.hash !== href) window.location.hash = href
}
