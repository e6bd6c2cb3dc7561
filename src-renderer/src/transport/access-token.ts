// The browser bridge's access token: `fieldjobs serve` prints a URL with `#token=...`. The page
// keeps it for the tab's life (sessionStorage, so a reload still works) and removes it from the
// address bar, so it is not bookmarked, shared in a screenshot, or kept in history.

const KEY = 'fieldjobs.accessToken'
const TOKEN_PARAM = /(?:^|[#?&])token=([A-Za-z0-9_-]{16,256})/

export interface TokenLocation {
  readonly hash: string
  readonly search: string
  readonly pathname: string
}

export function tokenFromLocation(location: TokenLocation): string | undefined {
  return TOKEN_PARAM.exec(location.hash)?.[1] ?? TOKEN_PARAM.exec(location.search)?.[1]
}

/** The location without the token parameter, keeping any other query or #route. */
export function locationWithoutToken(location: TokenLocation): string {
  const strip = (part: string, lead: string) => {
    const rest = part
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !pair.startsWith('token='))
      .join('&')
    return rest ? `${lead}${rest}` : ''
  }
  return `${location.pathname}${strip(location.search, '?')}${strip(location.hash, '#')}`
}

export interface TokenHost {
  location: TokenLocation
  sessionStorage?: Pick<Storage, 'getItem' | 'setItem'>
  history?: Pick<History, 'replaceState'>
}

/** Reads the token from the URL (then hides it) or from this tab's storage. */
export function takeAccessToken(host: TokenHost): string | undefined {
  const fromUrl = tokenFromLocation(host.location)
  if (fromUrl) {
    host.sessionStorage?.setItem(KEY, fromUrl)
    host.history?.replaceState(null, '', locationWithoutToken(host.location))
    return fromUrl
  }
  return host.sessionStorage?.getItem(KEY) ?? undefined
}

export class MissingAccessTokenError extends Error {
  override name = 'MissingAccessTokenError'
  constructor() {
    super('this page needs its access token: open the full URL that `fieldjobs serve` printed (it ends in #token=...)')
  }
}
