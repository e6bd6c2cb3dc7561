// Every security decision of the Electron shell, as small pure functions with table tests
// (test/electron/security.test.ts). The Electron glue in main.ts and window.ts only calls these.
// Nothing here imports electron, so it runs and is tested in plain Node.

/** Where our own window's pages come from: the built index.html, and in development the dev server. */
export interface TrustedOrigins {
  /** file:// URL of out/renderer/index.html, as pathToFileURL gives it. */
  indexFileUrl: string
  /** electron-vite's dev server (ELECTRON_RENDERER_URL), only when the app is not packaged. */
  devServerUrl?: string
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * Is this frame URL our own page? True only for our index.html over file:// (any #route, no
 * query) or a page of the dev server's exact origin. Everything else is refused: other files,
 * other hosts, data:, javascript:, about:blank, devtools://, and URLs carrying credentials
 * (`http://localhost:5173@evil.test` is evil.test; `http://x@localhost:5173` is refused too).
 */
export function isTrustedSender(url: string | undefined | null, trusted: TrustedOrigins): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > 4096) return false
  const candidate = parse(url)
  if (!candidate || candidate.username !== '' || candidate.password !== '') return false
  if (candidate.protocol === 'file:') {
    const index = parse(trusted.indexFileUrl)
    if (!index || index.protocol !== 'file:') return false
    // A file URL with a host is a UNC path on Windows (\\host\share): never ours.
    // The path is compared as the URL parser normalised it (dot segments resolved, percent
    // escapes kept), so `%69ndex.html` or a double-encoded slash is a different file: refused.
    return candidate.host === '' && candidate.search === '' && candidate.pathname === index.pathname
  }
  if (trusted.devServerUrl && (candidate.protocol === 'http:' || candidate.protocol === 'https:')) {
    const dev = parse(trusted.devServerUrl)
    return dev !== undefined && candidate.origin === dev.origin
  }
  return false
}

/** will-navigate: the window stays on our page; any other navigation is prevented. */
export function navigationDecision(url: string, trusted: TrustedOrigins): 'allow' | 'deny' {
  return isTrustedSender(url, trusted) ? 'allow' : 'deny'
}

/**
 * May this link be handed to the operating system's browser? Only plain https pages, without
 * credentials: never file:, smb:, javascript:, custom protocol handlers or http.
 */
export function isSafeExternalUrl(url: string): boolean {
  const candidate = parse(url)
  return candidate !== undefined && candidate.protocol === 'https:' && candidate.username === '' && candidate.password === '' && candidate.hostname !== ''
}

/**
 * window.open and target=_blank: no new Electron window, ever. A safe https link (a cloud job's
 * log) goes to the system browser instead; anything else is dropped.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) }
}

/** Permissions the window may have: writing the clipboard (copy a diff or an error), from our page only. */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

/** session.setPermissionRequestHandler / setPermissionCheckHandler: deny all but the few above. */
export function permissionDecision(permission: string, requestingUrl: string | undefined, trusted: TrustedOrigins): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isTrustedSender(requestingUrl, trusted)
}

export type CspMode = 'production' | 'development'

/**
 * The Content-Security-Policy of the window, the same in the index.html meta, the Electron response
 * header and the browser bridge. No inline or eval'd script; connections only to our own origin
 * (the bridge's API and /events WebSocket). Inline styles are allowed because React's style props and
 * the virtualised list set them; styles cannot run code and connect-src keeps them from calling out.
 * Development adds what Vite's dev server needs (the React refresh preamble, HMR socket) and is never
 * used for a packaged app or `fieldjobs serve`.
 */
export function contentSecurityPolicy(mode: CspMode = 'production', devServerUrl?: string): string {
  const dev = mode === 'development'
  const devSocket = dev && devServerUrl ? ` ${devServerUrl.replace(/^http/, 'ws')}` : ''
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${devSocket}`,
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** The part of the policy a <meta> can carry (browsers ignore frame-ancestors there). */
export function metaContentSecurityPolicy(mode: CspMode = 'production', devServerUrl?: string): string {
  return contentSecurityPolicy(mode, devServerUrl)
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ')
}

export type ResponseHeaders = Record<string, string[] | string>

/**
 * session.webRequest.onHeadersReceived: our pages get the CSP and a few hardening headers; responses
 * from anywhere else are left alone (the window never loads them: navigation is denied).
 */
export function withSecurityHeaders(url: string, headers: ResponseHeaders, trusted: TrustedOrigins, mode: CspMode): ResponseHeaders {
  if (!isTrustedSender(url, trusted)) return headers
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-security-policy'))
  return {
    ...kept,
    'Content-Security-Policy': [contentSecurityPolicy(mode, trusted.devServerUrl)],
    'X-Content-Type-Options': ['nosniff'],
  }
}
