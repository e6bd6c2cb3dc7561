// The one BrowserWindow and the session's guards. Thin: every decision is in security.ts.
import { BrowserWindow, type Session, shell, type WebContents } from 'electron'
import { mainWindowOptions } from './window-options'
import {
  type CspMode,
  navigationDecision,
  permissionDecision,
  type TrustedOrigins,
  windowOpenDecision,
  withSecurityHeaders,
} from './security'

/** CSP header, permission handlers: once per session, before any page loads. */
export function secureSession(session: Session, trusted: TrustedOrigins, mode: CspMode): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.url, details.responseHeaders ?? {}, trusted, mode) })
  })
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl ?? webContents?.getURL(), trusted))
  })
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin, trusted))
}

/** Navigation, new windows and <webview>: for every web contents the app ever creates. */
export function secureWebContents(contents: WebContents, trusted: TrustedOrigins): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url)
    if (decision.openExternally) void shell.openExternal(url)
    return { action: decision.action }
  })
  contents.on('will-navigate', (event, url) => {
    if (navigationDecision(url, trusted) === 'deny') event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (navigationDecision(url, trusted) === 'deny') event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export function createMainWindow(options: { preloadPath: string; indexFile: string; devServerUrl?: string }): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options.preloadPath))
  window.once('ready-to-show', () => window.show())
  if (options.devServerUrl) void window.loadURL(options.devServerUrl)
  else void window.loadFile(options.indexFile)
  return window
}
