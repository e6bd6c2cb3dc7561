// The browser bridge end to end on 127.0.0.1: real HTTP, a real WebSocket, the real core (SQLite in a
// temp folder) with the runtime (queue + LAN executor) running jobs on a lab router.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { type RunningApi, startApiRuntime } from '../../src-main/api/api-runtime'
import type { CoreEvent } from '../../src-main/contract/events'
import type { Site } from '../../src-main/contract/site-schema'
import { contentSecurityPolicy } from '../../src-main/electron/security'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { type BridgeServer, startBridgeServer } from '../../src-main/server/bridge-server'
import { ApiError, createBrowserApi } from '../../src-renderer/src/transport'
import { openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
let running: RunningApi
let bridge: BridgeServer
let lab: Lab
let rendererDir: string

beforeAll(async () => {
  temp = openTempCore()
  rendererDir = mkdtempSync(join(tmpdir(), 'fieldjobs-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>')
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(temp.dataDir, 'not-served.js'), 'secret')
  lab = await startLab({ routers: 1 })
  running = startApiRuntime(temp.core, { probeIntervalS: 0 })
  bridge = await startBridgeServer({
    handlers: createApiHandlers(running.runtime),
    subscribe: (listener) => temp.core.events.subscribe(listener),
    rendererDir,
  })
})

afterAll(async () => {
  await bridge?.close()
  await running?.stop()
  await lab?.close()
  await temp?.cleanup()
  rmSync(rendererDir, { recursive: true, force: true })
})

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so the test controls every header (fetch would set Host itself). */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: bridge.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** `token: null` sends no Authorization header at all. */
const api = (channel: string, body: unknown, token: string | null = bridge.token) =>
  raw(`/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  })

/** Opens /events; resolves with the socket once open, or rejects with the HTTP status it was refused with. */
function openEvents(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${bridge.port}/events${query}`, { headers })
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })))
    socket.once('error', reject)
  })
}

function nextEvent(socket: WebSocket, matches: (event: CoreEvent) => boolean): Promise<CoreEvent> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const event = JSON.parse(data.toString()) as CoreEvent
      if (!matches(event)) return
      socket.off('message', onMessage)
      resolve(event)
    }
    socket.on('message', onMessage)
  })
}

async function addLabSite(name: string): Promise<Site> {
  const router = lab.routers[0]
  const response = await api('sites:add', { name, host: router.host, api_port: router.port, username: router.user, password: router.password })
  expect(response.status).toBe(200)
  return JSON.parse(response.body).value as Site
}

describe('the access token', () => {
  it('is in the printed URL as a fragment, bound to 127.0.0.1', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/#token=${bridge.token}`)
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it.each([
    ['no token', () => null],
    ['a wrong token', () => 'x'.repeat(43)],
    ['the token with its last character changed', () => `${bridge.token.slice(0, -1)}${bridge.token.endsWith('A') ? 'B' : 'A'}`],
    ['the token with a character more', () => `${bridge.token}A`],
    ['an empty token', () => ''],
  ])('refuses an API call with %s (401)', async (_name, given) => {
    const response = await api('sites:list', {}, given())
    expect(response.status).toBe(401)
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect(response.headers['www-authenticate']).toBe('Bearer')
  })

  it('refuses the token in the query string of an API call (only the header counts there)', async () => {
    const response = await raw(`/api/sites:list?token=${bridge.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(response.status).toBe(401)
  })

  it('accepts the X-Fieldjobs-Token header (scripts, curl)', async () => {
    const response = await raw('/api/sites:list', { method: 'POST', headers: { 'content-type': 'application/json', 'x-fieldjobs-token': bridge.token }, body: '{}' })
    expect(response.status).toBe(200)
  })

  it('refuses a WebSocket upgrade without the right token (401)', async () => {
    await expect(openEvents('')).rejects.toMatchObject({ status: 401 })
    await expect(openEvents('?token=wrong')).rejects.toMatchObject({ status: 401 })
    await expect(openEvents(`?token=${bridge.token}x`)).rejects.toMatchObject({ status: 401 })
  })

  it('refuses other WebSocket paths', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${bridge.port}/api/sites:list?token=${bridge.token}`)
        socket.once('open', resolve)
        socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })))
      }),
    ).rejects.toMatchObject({ status: 404 })
  })

  it('refuses requests addressed to another host name (DNS rebinding) with 421', async () => {
    const page = await raw('/', { headers: { host: `evil.test:${bridge.port}` } })
    expect(page.status).toBe(421)
    const call = await raw('/api/sites:list', {
      method: 'POST',
      headers: { host: 'evil.test', 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
      body: '{}',
    })
    expect(call.status).toBe(421)
    await expect(openEvents(`?token=${bridge.token}`, { host: `evil.test:${bridge.port}` })).rejects.toMatchObject({ status: 421 })
  })
})

describe('the API over HTTP', () => {
  it('round-trips a call through the real core', async () => {
    const site = await addLabSite('bridge-site')
    const list = await api('sites:list', {})
    expect(list.status).toBe(200)
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(list.headers['cache-control']).toBe('no-store')
    expect(JSON.parse(list.body)).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: site.id })]) })
  })

  it('checks a site through the runtime’s health service (sites:check, sites:health)', async () => {
    const site = await addLabSite('health-site')
    const check = await api('sites:check', { id: site.id })
    expect(check.status).toBe(200)
    expect(JSON.parse(check.body)).toMatchObject({ ok: true, value: { site_id: site.id, online: true, identity: lab.routers[0].name } })
    const history = JSON.parse((await api('sites:health', { id: site.id })).body)
    expect(history).toMatchObject({ ok: true, value: [expect.objectContaining({ site_id: site.id, online: true })] })
  })

  it('returns validation errors as the envelope with the zod messages (400)', async () => {
    const response = await api('jobs:create', { site_id: 'nope', description: 'x', script: ':put 1' })
    expect(response.status).toBe(400)
    const body = JSON.parse(response.body)
    expect(body.ok).toBe(false)
    expect(body.error.code).toBe('validation')
    expect(body.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'site_id', message: 'must be a UUID, like 7c7c1e4e-1918-4918-8a18-1e1818181818' },
        { path: 'description', message: 'description must be at least 3 characters' },
      ]),
    )
  })

  it('maps error codes to HTTP statuses and refuses unknown channels', async () => {
    expect((await api('jobs:get', { id: 'ABCDEFGHJK' })).status).toBe(404)
    const unknown = await api('jobs:delete', {})
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
  })

  it('refuses a body that is not JSON, a form post and a GET', async () => {
    const auth = { authorization: `Bearer ${bridge.token}` }
    const notJson = await raw('/api/sites:list', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{nope' })
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body).error.message).toBe('the request body is not valid JSON')
    const form = await raw('/api/sites:list', { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })
    expect(form.status).toBe(400)
    const get = await raw('/api/sites:list', { headers: auth })
    expect(get.status).toBe(405)
  })

  it('refuses a body over 1 MB', async () => {
    const response = await api('jobs:create', { script: 'x'.repeat(1024 * 1024 + 10) })
    expect(response.status).toBe(413)
    expect(JSON.parse(response.body).error.message).toContain('larger than')
  })
})

describe('core events over the WebSocket', () => {
  it('delivers job.created when a job is created, then the job running on the lab router', async () => {
    const site = await addLabSite('events-site')
    const socket = await openEvents(`?token=${bridge.token}`)
    try {
      const created = nextEvent(socket, (event) => event.type === 'job.created')
      const completed = nextEvent(socket, (event) => event.type === 'job.changed' && event.job.status === 'completed')
      const response = await api('jobs:create', { site_id: site.id, description: 'over the bridge', script: '/system identity set name=bridged' })
      expect(response.status).toBe(200)
      const job = JSON.parse(response.body).value.job
      expect(await created).toMatchObject({ type: 'job.created', job: { id: job.id, status: 'pending' } })
      expect(await completed).toMatchObject({ job: { id: job.id, ran_route: 'lan' } })
    } finally {
      socket.close()
    }
  })
})

describe('the browser transport against the bridge', () => {
  it('implements FieldjobsApi over fetch and the WebSocket', async () => {
    const states: string[] = []
    let opened!: () => void
    const open = new Promise<void>((resolve) => (opened = resolve))
    const client = createBrowserApi({
      baseUrl: bridge.origin,
      token: bridge.token,
      WebSocket: WebSocket as never,
      onEventStreamState: (state) => {
        states.push(state)
        if (state === 'open') opened()
      },
    })
    const site = await addLabSite('transport-site')
    expect((await client['sites:list']({})).map((s) => s.id)).toContain(site.id)

    const failure = await client['jobs:create']({ site_id: site.id, description: 'x', script: ':put 1' }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ApiError)
    expect((failure as ApiError).code).toBe('validation')
    expect((failure as ApiError).issueFor('description')).toBe('description must be at least 3 characters')

    const received: CoreEvent[] = []
    const createdEvent = new Promise<CoreEvent>((resolve) => {
      const stop = client.onEvent((event) => {
        received.push(event)
        if (event.type === 'job.created') {
          stop()
          resolve(event)
        }
      })
    })
    await open
    const { job } = await client['jobs:create']({ site_id: site.id, description: 'from the transport', script: ':put 1' })
    expect(await createdEvent).toMatchObject({ type: 'job.created', job: { id: job.id } })
    expect(states).toEqual(['connecting', 'open', 'closed'])
  })

  it('reports a bridge that is gone as an offline ApiError', async () => {
    const client = createBrowserApi({ baseUrl: 'http://127.0.0.1:1', token: bridge.token, WebSocket: WebSocket as never })
    await expect(client['sites:list']({})).rejects.toMatchObject({ code: 'offline' })
  })
})

describe('the window over HTTP', () => {
  it('serves index.html and assets with the CSP and hardening headers, without a token', async () => {
    const page = await raw('/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy('production'))
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const asset = await raw('/assets/index-abc.js')
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it.each(['/../not-served.js', '/%2e%2e/not-served.js', '/assets/..%2f..%2fnot-served.js', '/.env', '/assets/%00.js', '/missing.js'])(
    'serves nothing outside out/renderer: %s',
    async (path) => {
      expect((await raw(path)).status).toBe(404)
    },
  )

  it('refuses to bind anywhere but loopback', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.88.1', 'example.test']) {
      await expect(startBridgeServer({ handlers: createApiHandlers({ core: temp.core }), subscribe: () => () => {}, host })).rejects.toThrow(/loopback only/)
    }
  })
})
