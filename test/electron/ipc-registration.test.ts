import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import type { CoreEvent } from '../../src-main/contract/events'
import { EVENT_CHANNEL, ipcChannels } from '../../src-main/contract/ipc-contract'
import {
  forwardCoreEvents,
  type IpcInvokeEventLike,
  type IpcMainLike,
  registerIpcHandlers,
} from '../../src-main/electron/ipc-registration'
import { buildPreloadApi, type IpcRendererLike } from '../../src-main/electron/preload-api'
import { isTrustedSender, type TrustedOrigins } from '../../src-main/electron/security'
import { openTempCore, siteInput, type TempCore } from '../support/temp-core'

const trusted: TrustedOrigins = { indexFileUrl: 'file:///app/out/renderer/index.html' }
const ourFrame = { url: 'file:///app/out/renderer/index.html#/jobs', parent: null }

/** ipcMain as Electron behaves: one handler per channel, invoking an unknown channel rejects. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>()
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
  async invoke(event: IpcInvokeEventLike, channel: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler(event, ...args)
  }
}

let temp: TempCore
let ipcMain: FakeIpcMain
let refused: Array<[string, string | undefined]>
let unregister: () => void

beforeEach(() => {
  temp = openTempCore()
  ipcMain = new FakeIpcMain()
  refused = []
  unregister = registerIpcHandlers(ipcMain, createApiHandlers({ core: temp.core }), {
    isTrustedSender: (url) => isTrustedSender(url, trusted),
    onRefused: (channel, url) => refused.push([channel, url]),
  })
})
afterEach(async () => {
  await temp.cleanup()
})

describe('registerIpcHandlers', () => {
  it('registers exactly the contract channels, and removes them again', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...ipcChannels].sort())
    unregister()
    expect(ipcMain.handlers.size).toBe(0)
  })

  it('answers our window through the real core', async () => {
    const site = await ipcMain.invoke({ senderFrame: ourFrame }, 'sites:add', siteInput())
    expect(site).toMatchObject({ ok: true, value: { name: 'hq-core' } })
    const list = await ipcMain.invoke({ senderFrame: ourFrame }, 'sites:list', {})
    expect(list).toMatchObject({ ok: true, value: [{ name: 'hq-core' }] })
  })

  it.each([
    ['a web page', { url: 'https://evil.test/', parent: null }],
    ['another local file', { url: 'file:///home/me/Downloads/index.html', parent: null }],
    ['about:blank', { url: 'about:blank', parent: null }],
    ['a data: page', { url: 'data:text/html,<script>api()</script>', parent: null }],
    ['devtools', { url: 'devtools://devtools/bundled/inspector.html', parent: null }],
    ['an iframe inside our page', { url: 'file:///app/out/renderer/index.html', parent: { url: 'file:///app/out/renderer/index.html' } }],
    ['a closed frame', null],
  ])('refuses %s and never reaches the core', async (_name, senderFrame) => {
    const result = await ipcMain.invoke({ senderFrame }, 'sites:add', siteInput())
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(temp.core.siteStore.list()).toEqual([])
    expect(refused).toEqual([['sites:add', senderFrame?.url]])
  })

  it.each([
    ['a string', 'sites'],
    ['a number', 7],
    ['an array', [siteInput()]],
    ['a wrong field type', { ...siteInput(), api_port: '8728' }],
    ['a missing field', { name: 'x', host: '10.0.0.1' }],
  ])('rejects a payload that is %s with a validation envelope', async (_name, payload) => {
    const result = await ipcMain.invoke({ senderFrame: ourFrame }, 'sites:add', payload)
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } })
    expect(temp.core.siteStore.list()).toEqual([])
  })

  it('refuses channels outside the contract', async () => {
    for (const channel of ['invoke', 'jobs:delete', 'core:event', 'eval', '__proto__']) {
      await expect(ipcMain.invoke({ senderFrame: ourFrame }, channel, {})).rejects.toThrow(/No handler registered/)
    }
  })
})

describe('the preload surface', () => {
  class FakeIpcRenderer implements IpcRendererLike {
    readonly calls: Array<[string, unknown[]]> = []
    readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>()
    async invoke(channel: string, ...args: unknown[]) {
      this.calls.push([channel, args])
      return ipcMain.invoke({ senderFrame: ourFrame }, channel, ...args)
    }
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      if (!this.listeners.has(channel)) this.listeners.set(channel, new Set())
      this.listeners.get(channel)!.add(listener)
    }
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      this.listeners.get(channel)?.delete(listener)
    }
    emit(channel: string, ...args: unknown[]) {
      const ipcEvent = { sender: 'the ipcRenderer itself', ports: [] }
      for (const listener of this.listeners.get(channel) ?? []) listener(ipcEvent, ...args)
    }
  }

  it('exposes exactly the contract channels plus onEvent: no invoke, send, on or ipcRenderer', () => {
    const api = buildPreloadApi(new FakeIpcRenderer())
    expect(Object.keys(api).sort()).toEqual([...ipcChannels, 'onEvent'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
    for (const name of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'postMessage']) expect(api).not.toHaveProperty(name)
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('sends one payload on the named channel, never the page’s extra arguments', async () => {
    const ipcRenderer = new FakeIpcRenderer()
    const api = buildPreloadApi(ipcRenderer)
    const callWithExtras = api['sites:list'] as (...args: unknown[]) => Promise<unknown>
    expect(await callWithExtras({}, 'extra', { channel: 'jobs:cancel' })).toEqual([])
    expect(await api['settings:get']({})).toMatchObject({ cloud_token_set: false })
    expect(ipcRenderer.calls).toEqual([
      ['sites:list', [{}]],
      ['settings:get', [{}]],
    ])
  })

  it('rejects a failed call with the plain IpcError object, so code and issues survive contextBridge', async () => {
    const api = buildPreloadApi(new FakeIpcRenderer())
    const rejection = await api['sites:add']({ ...siteInput(), host: '' }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(rejection).not.toBeInstanceOf(Error)
    expect(Object.getPrototypeOf(rejection)).toBe(Object.prototype)
    expect(rejection).toEqual({
      code: 'validation',
      message: expect.stringContaining('host: host is required'),
      issues: expect.arrayContaining([{ path: 'host', message: 'host is required: the router address, like 192.168.88.1' }]),
    })
  })

  it('delivers core events without the IPC event object, and unsubscribes', () => {
    const ipcRenderer = new FakeIpcRenderer()
    const api = buildPreloadApi(ipcRenderer)
    const received: unknown[][] = []
    const stop = api.onEvent((...args: unknown[]) => received.push(args))
    const event: CoreEvent = { type: 'site.removed', site_id: 'x' }
    ipcRenderer.emit(EVENT_CHANNEL, event)
    expect(received).toEqual([[event]])
    stop()
    ipcRenderer.emit(EVENT_CHANNEL, event)
    expect(received).toHaveLength(1)
    expect(() => api.onEvent('not a function' as never)).toThrow(TypeError)
  })

  it('forwards core events from the bus to the window on EVENT_CHANNEL', async () => {
    const sent: Array<[string, CoreEvent]> = []
    const stop = forwardCoreEvents(temp.core.events.subscribe.bind(temp.core.events), (channel, event) => sent.push([channel, event]))
    const site = temp.core.addSite(siteInput())
    temp.core.jobs.create({ site_id: site.id, description: 'event please', script: ':put 1' })
    expect(sent.map(([channel, event]) => [channel, event.type])).toContainEqual([EVENT_CHANNEL, 'job.created'])
    stop()
    const before = sent.length
    temp.core.jobs.create({ site_id: site.id, description: 'no event', script: ':put 2' })
    expect(sent).toHaveLength(before)
  })

  it('the preload file exposes buildPreloadApi(ipcRenderer) as `api` and imports nothing else', () => {
    const source = readFileSync(new URL('../../src-main/electron/preload.ts', import.meta.url), 'utf8')
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1])
    expect(imports.sort()).toEqual(['./preload-api', 'electron'])
    expect(source).toContain("contextBridge.exposeInMainWorld('api', buildPreloadApi(ipcRenderer))")
    expect(source.match(/exposeInMainWorld/g)).toHaveLength(1)
  })
})
