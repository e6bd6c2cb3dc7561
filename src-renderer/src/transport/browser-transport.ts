// FieldjobsApi for a plain browser tab talking to `fieldjobs serve`: calls are POST /api/<channel>
// with the access token, core events arrive on the /events WebSocket, which reconnects with jittered
// backoff when the bridge restarts or the laptop sleeps. Browser APIs only (fetch, WebSocket).
import type { CoreEvent } from '../../../src-main/contract/events'
import { type FieldjobsApi, type IpcChannel, type IpcResult, ipcFailure } from '../../../src-main/contract/ipc-contract'
import { MissingAccessTokenError, takeAccessToken, type TokenHost } from './access-token'
import { createApi, type InvokeFn } from './create-api'

/** The part of the WebSocket constructor used here (the browser's, or `ws` in Node tests). */
export type WebSocketFactory = new (url: string) => {
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  close(): void
}

export type EventStreamState = 'connecting' | 'open' | 'reconnecting' | 'closed'

export interface BrowserApiOptions {
  /** The bridge's origin, like http://127.0.0.1:5170 (the page's own origin in the app). */
  baseUrl: string
  token: string
  fetch?: typeof fetch
  WebSocket?: WebSocketFactory
  /** Told when the event stream drops and comes back, so a screen can refetch what it missed. */
  onEventStreamState?(state: EventStreamState): void
  /** Longest wait between reconnect attempts. */
  maxReconnectDelayMs?: number
}

export function createBrowserInvoke(options: BrowserApiOptions): InvokeFn {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const base = options.baseUrl.replace(/\/$/, '')
  return async (channel, payload) => {
    let response: Response
    try {
      response = await doFetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(payload ?? {}),
      })
    } catch {
      return ipcFailure('offline', `cannot reach fieldjobs serve at ${base}: is it still running?`)
    }
    const body = (await response.json().catch(() => undefined)) as IpcResult<IpcChannel> | undefined
    if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body
    return ipcFailure('internal', `fieldjobs serve answered ${channel} with HTTP ${response.status} and no result`)
  }
}

/**
 * Core events over one WebSocket, opened while someone listens. Missed events are not replayed:
 * `onEventStreamState('open')` after `reconnecting` is the cue to reload lists.
 */
export function createEventStream(options: BrowserApiOptions): (listener: (event: CoreEvent) => void) => () => void {
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketFactory)
  const url = `${options.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/events?token=${encodeURIComponent(options.token)}`
  const maxDelay = options.maxReconnectDelayMs ?? 10_000
  const listeners = new Set<(event: CoreEvent) => void>()
  let socket: InstanceType<WebSocketFactory> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempts = 0

  const connect = () => {
    options.onEventStreamState?.(attempts === 0 ? 'connecting' : 'reconnecting')
    const current = new Socket(url)
    socket = current
    current.onopen = () => {
      attempts = 0
      options.onEventStreamState?.('open')
    }
    current.onmessage = (message) => {
      let event: CoreEvent
      try {
        event = JSON.parse(String(message.data)) as CoreEvent
      } catch {
        return
      }
      for (const listener of listeners) listener(event)
    }
    current.onerror = () => {}
    current.onclose = () => {
      if (socket !== current) return
      socket = undefined
      if (listeners.size === 0) return options.onEventStreamState?.('closed')
      // Full jitter, so many tabs do not reconnect in step after the bridge restarts.
      const delay = Math.random() * Math.min(maxDelay, 250 * 2 ** attempts++)
      options.onEventStreamState?.('reconnecting')
      retryTimer = setTimeout(() => {
        retryTimer = undefined
        connect()
      }, delay)
    }
  }

  return (listener) => {
    listeners.add(listener)
    if (!socket && retryTimer === undefined) connect()
    return () => {
      listeners.delete(listener)
      if (listeners.size > 0) return
      clearTimeout(retryTimer)
      retryTimer = undefined
      const closing = socket
      socket = undefined
      closing?.close()
      options.onEventStreamState?.('closed')
    }
  }
}

/** How long calls wait for the event stream's first connection before going ahead without it. */
const FIRST_OPEN_WAIT_MS = 2_000

function waitAtMost(ms: number): { done: Promise<void>; release(): void } {
  let release = () => {}
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    release = () => {
      clearTimeout(timer)
      resolve()
    }
  })
  return { done, release }
}

/**
 * The browser tab's api. With no options (as src-renderer/src/api/browser-api.ts calls it) it talks
 * to the page's own origin with the token from the URL `fieldjobs serve` printed.
 */
export function createBrowserApi(options: Partial<BrowserApiOptions> = {}): FieldjobsApi {
  const page = globalThis as unknown as Partial<TokenHost> & { location?: { origin: string } }
  const baseUrl = options.baseUrl ?? page.location?.origin
  const token = options.token ?? (page.location ? takeAccessToken(page as TokenHost) : undefined)
  if (!baseUrl) throw new Error('createBrowserApi needs a baseUrl outside a browser page')
  if (!token) throw new MissingAccessTokenError()
  // The event stream's state, told to whoever watches the connection (the disconnected banner).
  const watchers = new Set<(state: EventStreamState) => void>()
  let last: EventStreamState = 'connecting'
  // Subscribe, then read. While the event stream makes its first connection, calls wait for it
  // (at most FIRST_OPEN_WAIT_MS): a job another process queues between a list's read and the
  // subscription would otherwise never reach the window. Later reconnects reload lists instead.
  let firstOpen: { done: Promise<void>; release(): void } | null = null
  const complete = {
    ...options,
    baseUrl,
    token,
    onEventStreamState(state: EventStreamState) {
      last = state
      if (state === 'connecting') firstOpen ??= waitAtMost(FIRST_OPEN_WAIT_MS)
      else if (firstOpen) {
        firstOpen.release()
        firstOpen = null
      }
      options.onEventStreamState?.(state)
      for (const watcher of watchers) watcher(state)
    },
  }
  const invoke = createBrowserInvoke(complete)
  const invokeAfterSubscribing: InvokeFn = async (channel, payload) => {
    // A screen's read and its subscription start in the same commit; let the subscription go first.
    await undefined
    if (firstOpen) await firstOpen.done
    return invoke(channel, payload)
  }
  return createApi(invokeAfterSubscribing, createEventStream(complete), (watcher) => {
    watchers.add(watcher)
    watcher(last)
    return () => watchers.delete(watcher)
  })
}
