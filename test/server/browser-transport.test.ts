// The renderer's transport pieces in Node: the token taken from the URL, createApi over an in-memory
// invoke (what component tests use), and the event stream reconnecting after the bridge restarts.
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { dispatch } from '../../src-main/api/dispatch'
import type { CoreEvent } from '../../src-main/contract/events'
import { ipcChannels } from '../../src-main/contract/ipc-contract'
import { type BridgeServer, startBridgeServer } from '../../src-main/server/bridge-server'
import { locationWithoutToken, takeAccessToken, tokenFromLocation } from '../../src-renderer/src/transport/access-token'
import { ApiError, createApi, createBrowserApi, createEventStream, MissingAccessTokenError } from '../../src-renderer/src/transport'
import { openTempCore, siteInput, type TempCore } from '../support/temp-core'

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789_-ABCDE'

describe('the access token in the URL', () => {
  const at = (hash: string, search = '', pathname = '/') => ({ hash, search, pathname })

  it('reads #token= and ?token=, ignoring tokens too short to be ours', () => {
    expect(tokenFromLocation(at(`#token=${TOKEN}`))).toBe(TOKEN)
    expect(tokenFromLocation(at('', `?token=${TOKEN}`))).toBe(TOKEN)
    expect(tokenFromLocation(at(`#/jobs&token=${TOKEN}`))).toBe(TOKEN)
    expect(tokenFromLocation(at('#token=short'))).toBeUndefined()
    expect(tokenFromLocation(at('#/jobs'))).toBeUndefined()
  })

  it('removes only the token from the address, keeping the route', () => {
    expect(locationWithoutToken(at(`#token=${TOKEN}`))).toBe('/')
    expect(locationWithoutToken(at(`#/jobs&token=${TOKEN}`, '?x=1'))).toBe('/?x=1#/jobs')
  })

  it('keeps the token for the tab and hides it from the address bar', () => {
    const storage = new Map<string, string>()
    const replaced: string[] = []
    const host = {
      location: at(`#token=${TOKEN}`),
      sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      history: { replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    }
    expect(takeAccessToken(host)).toBe(TOKEN)
    expect(replaced).toEqual(['/'])
    // After a reload the URL has no token; the tab's storage still does.
    expect(takeAccessToken({ ...host, location: at('') })).toBe(TOKEN)
  })

  it('explains a missing token', () => {
    expect(() => createBrowserApi({ baseUrl: 'http://127.0.0.1:1' })).toThrow(MissingAccessTokenError)
    expect(() => createBrowserApi({ baseUrl: 'http://127.0.0.1:1' })).toThrow(/open the full URL that `fieldjobs serve` printed/)
  })
})

describe('createApi over an in-memory invoke', () => {
  let temp: TempCore | undefined
  afterEach(async () => {
    await temp?.cleanup()
    temp = undefined
  })

  it('gives one function per channel plus onEvent, unwrapping results and throwing ApiError', async () => {
    temp = openTempCore()
    const handlers = createApiHandlers({ core: temp.core })
    const api = createApi((channel, payload) => dispatch(handlers, channel, payload), (listener) => temp!.core.events.subscribe(listener))
    expect(Object.keys(api).sort()).toEqual([...ipcChannels, 'onEvent'].sort())

    const events: CoreEvent[] = []
    const stop = api.onEvent((event) => events.push(event))
    const site = await api['sites:add'](siteInput())
    expect(site.name).toBe('hq-core')
    expect(events.map((e) => e.type)).toContain('site.changed')
    stop()

    const error = await api['sites:add']({ ...siteInput(), name: '' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toBeInstanceOf(Error)
    expect((error as ApiError).channel).toBe('sites:add')
    expect((error as ApiError).issueFor('name')).toBe('site name is required')
  })
})

describe('the event stream', () => {
  let temp: TempCore | undefined
  let bridge: BridgeServer | undefined
  afterEach(async () => {
    await bridge?.close()
    await temp?.cleanup()
    bridge = temp = undefined
  })

  it('reconnects after the bridge restarts and delivers events again', async () => {
    temp = openTempCore()
    const core = temp.core
    const start = (port = 0) =>
      startBridgeServer({ handlers: createApiHandlers({ core }), subscribe: (l) => core.events.subscribe(l), token: TOKEN, port })
    bridge = await start()
    const port = bridge.port

    const waiters: Array<{ state: string; resolve: () => void }> = []
    const reached = (state: string) => new Promise<void>((resolve) => waiters.push({ state, resolve }))
    const states: string[] = []
    const subscribe = createEventStream({
      baseUrl: bridge.origin,
      token: TOKEN,
      WebSocket: WebSocket as never,
      maxReconnectDelayMs: 50,
      onEventStreamState: (state) => {
        states.push(state)
        for (const waiter of waiters.filter((w) => w.state === state)) waiter.resolve()
      },
    })
    const received: CoreEvent[] = []
    let open = reached('open')
    const stop = subscribe((event) => received.push(event))
    await open

    const reconnecting = reached('reconnecting')
    await bridge.close()
    await reconnecting
    open = reached('open')
    bridge = await start(port)
    await open

    const removed = new Promise<void>((resolve) => {
      const unsubscribe = subscribe((event) => {
        if (event.type === 'site.removed') {
          unsubscribe()
          resolve()
        }
      })
    })
    const site = core.addSite(siteInput())
    core.removeSite(site.id)
    await removed
    expect(received.map((e) => e.type)).toEqual(['site.changed', 'site.removed'])
    stop()
    expect(states[0]).toBe('connecting')
    expect(states).toContain('reconnecting')
    expect(states.at(-1)).toBe('closed')
  })
})

describe('reads and the first connection of the event stream', () => {
  /** A socket that opens (or fails) when the test says, and a fetch that records what it was asked. */
  function fakeBrowser() {
    const sockets: Array<{ onopen: ((e: unknown) => void) | null; onclose: ((e: unknown) => void) | null }> = []
    class FakeSocket {
      onopen: ((event: unknown) => void) | null = null
      onmessage: ((event: { data: unknown }) => void) | null = null
      onclose: ((event: unknown) => void) | null = null
      onerror: ((event: unknown) => void) | null = null
      constructor() {
        sockets.push(this)
      }
      close() {}
    }
    const fetched: string[] = []
    const fetch = (async (url: string) => {
      fetched.push(String(url).replace(/.*\/api\//, ''))
      return new Response(JSON.stringify({ ok: true, value: [] }), { headers: { 'content-type': 'application/json' } })
    }) as unknown as typeof globalThis.fetch
    const api = createBrowserApi({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, fetch, WebSocket: FakeSocket as never })
    return { api, sockets, fetched }
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

  it('holds a read made with the subscription until the stream is open, so no event falls between them', async () => {
    const { api, sockets, fetched } = fakeBrowser()
    // A screen mounting: its read and its subscription start in the same tick, the read first.
    const read = api['sites:list']({})
    api.onEvent(() => {})
    await settle()
    expect(fetched).toEqual([])
    sockets[0]!.onopen?.({})
    await read
    expect(fetched).toEqual(['sites:list'])
  })

  it('goes ahead when the first connection fails, and does not wait when nobody listens', async () => {
    const failing = fakeBrowser()
    const read = failing.api['sites:list']({})
    failing.api.onEvent(() => {})
    await settle()
    failing.sockets[0]!.onclose?.({})
    await read
    expect(failing.fetched).toEqual(['sites:list'])

    const quiet = fakeBrowser()
    await quiet.api['sites:list']({})
    expect(quiet.fetched).toEqual(['sites:list'])
  })
})
