import { HealthStore } from '../../src-main/core/health/health-store'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApiHandlers, type ApiHandlers } from '../../src-main/api/api-handlers'
import { dispatch } from '../../src-main/api/dispatch'
import { ipcChannels, ipcContract } from '../../src-main/contract/ipc-contract'
import { CLOUD_TOKEN_REF } from '../../src-main/core/settings/settings-store'
import { openTempCore, siteInput, type TempCore } from '../support/temp-core'

let temp: TempCore
let handlers: ApiHandlers

beforeEach(() => {
  temp = openTempCore()
  handlers = createApiHandlers({ core: temp.core })
})
afterEach(async () => {
  await temp.cleanup()
})

const call = (channel: string, payload?: unknown) => dispatch(handlers, channel, payload)

async function ok<T = any>(channel: string, payload?: unknown): Promise<T> {
  const result = await call(channel, payload)
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`)
  return result.value as T
}

async function addSite(name = 'hq-core') {
  return ok('sites:add', siteInput(name))
}

describe('createApiHandlers', () => {
  it('has exactly one handler per contract channel', () => {
    expect(Object.keys(handlers).sort()).toEqual([...ipcChannels].sort())
  })

  it('refuses a channel the contract does not name', async () => {
    for (const channel of ['jobs:delete', '__proto__', 'constructor', 'toString', '']) {
      const result = await call(channel, {})
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    }
  })
})

describe('sites', () => {
  it('adds, lists, updates and removes a site, keeping the password out of the answer', async () => {
    const site = await addSite()
    expect(site).toMatchObject({ name: 'hq-core', host: '127.0.0.1', api_port: 8728 })
    expect(JSON.stringify(site)).not.toContain('router-password')
    expect(temp.core.secrets.get(site.secret_ref)).toBe('router-password')

    expect((await ok('sites:list', {})).map((s: { id: string }) => s.id)).toEqual([site.id])
    const updated = await ok('sites:update', { id: site.id, host: '10.1.1.1', password: 'new-pass' })
    expect(updated.host).toBe('10.1.1.1')
    expect(temp.core.secrets.get(site.secret_ref)).toBe('new-pass')

    expect(await ok('sites:remove', { id: site.id })).toEqual({ ok: true })
    expect(await ok('sites:list', {})).toEqual([])
  })

  it("sites:lastHealth gives each probed site's newest sample, read from the table", async () => {
    const site = await addSite()
    const store = new HealthStore(temp.core.db)
    const sample = { site_id: site.id, identity: null, version: null, board: null, cpu_load: null, free_memory: null, total_memory: null, uptime: null }
    store.record({ ...sample, at: '2025-03-01T09:00:00.000Z', online: true, error: null })
    store.record({ ...sample, at: '2025-03-01T10:00:00.000Z', online: false, error: 'timeout' })
    expect(await ok('sites:lastHealth', {})).toEqual([{ site_id: site.id, online: false, at: '2025-03-01T10:00:00.000Z' }])
  })

  it('jobs:lint checks against the RouterOS the chosen sites last reported (the window sends them), else the default lab', async () => {
    const [v6, v7, never] = [await addSite('v6'), await addSite('v7'), await addSite('never-reached')]
    const store = new HealthStore(temp.core.db)
    const sample = { identity: null, board: null, cpu_load: null, free_memory: null, total_memory: null, uptime: null, online: true, error: null }
    // The newest sample with a version counts; a later failed probe (no version) does not hide it.
    store.record({ ...sample, site_id: v6.id, at: '2026-12-01T09:00:00.000Z', version: '6.49.10 (long-term)' })
    store.record({ ...sample, site_id: v6.id, at: '2026-12-01T10:00:00.000Z', version: null, online: false, error: 'timeout' })
    store.record({ ...sample, site_id: v7.id, at: '2026-12-01T09:00:00.000Z', version: '7.18.2 (stable)' })
    const script = '/routing ospf network add network=10.20.0.0/24 area=backbone\n'
    const warned = (version: string) => [
      { severity: 'warning', line: 1, column: 15, message: `bad command name network (${version} does not know it; check it is right for this router)` },
    ]
    expect(await ok('jobs:lint', { script, site_ids: [v6.id] })).toEqual({ findings: [] })
    expect(await ok('jobs:lint', { script, site_ids: [v7.id] })).toEqual({ findings: warned("the lab's RouterOS 7.18.2") })
    expect(await ok('jobs:lint', { script, site_ids: [v6.id, v7.id] })).toEqual({ findings: warned("the lab's RouterOS 7.18.2") })
    expect(await ok('jobs:lint', { script, site_ids: [never.id] })).toEqual({ findings: warned('the lab') })
    expect(await ok('jobs:lint', { script })).toEqual({ findings: warned('the lab') })
  })

  it('returns the zod messages in the envelope for a bad site', async () => {
    const result = await call('sites:add', { ...siteInput(), host: 'not a host!', api_port: 70000 })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('validation')
    expect(result.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'host', message: 'host must be an IP address or a host name' },
        { path: 'api_port', message: 'port must be between 1 and 65535' },
      ]),
    )
    expect(result.error.message).toContain('host: host must be an IP address or a host name')
  })

  it('refuses sites:list with unexpected fields (the empty request is strict)', async () => {
    expect(await call('sites:list', { everything: true })).toMatchObject({ ok: false, error: { code: 'validation' } })
  })

  it('answers not_found for removing a site that does not exist', async () => {
    const result = await call('sites:remove', { id: '7c7c1e4e-1918-4918-8a18-1e1818181818' })
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('jobs', () => {
  it('creates, gets (by id and token), lists and cancels a job', async () => {
    const site = await addSite()
    const created = await ok('jobs:create', { site_id: site.id, description: 'set identity', script: '/system identity set name=hq' })
    expect(created.created).toBe(true)
    expect(created.job).toMatchObject({ status: 'pending', route: 'auto', site_id: site.id })

    expect((await ok('jobs:get', { id: created.job.id })).id).toBe(created.job.id)
    expect((await ok('jobs:get', { id: created.job.token })).id).toBe(created.job.id)

    await ok('jobs:create', { site_id: site.id, description: 'second job', script: ':put 2' })
    const page = await ok('jobs:list', { limit: 1 })
    expect(page.total).toBe(2)
    expect(page.jobs).toHaveLength(1)
    const older = await ok('jobs:list', { before_seq: page.jobs[0].seq })
    expect(older.jobs.map((j: { id: string }) => j.id)).toEqual([created.job.id])
    expect((await ok('jobs:list', { search: 'identity' })).total).toBe(1)

    const canceled = await ok('jobs:cancel', { id: created.job.token })
    expect(canceled).toMatchObject({ outcome: 'canceled', job: { status: 'canceled' } })
    const again = await call('jobs:cancel', { id: created.job.id })
    expect(again).toMatchObject({ ok: true, value: { outcome: 'already_canceled' } })
  })

  it('is idempotent for the same idempotency key', async () => {
    const site = await addSite()
    const input = { site_id: site.id, description: 'once only', script: ':put 1', idempotency_key: '3f0e4c1a-8a1b-4c2d-9e3f-0a1b2c3d4e5f' }
    const first = await ok('jobs:create', input)
    const second = await ok('jobs:create', input)
    expect(second).toMatchObject({ created: false, job: { id: first.job.id } })
    const mismatch = await call('jobs:create', { ...input, script: ':put 2' })
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'idempotency_mismatch' } })
  })

  it('returns the zod messages in the envelope for a bad job', async () => {
    const site = await addSite()
    const result = await call('jobs:create', { site_id: site.id, description: 'x', script: '   ' })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'description: description must be at least 3 characters; script: script is empty: give the RouterOS commands to run',
        issues: [
          { path: 'description', message: 'description must be at least 3 characters' },
          { path: 'script', message: 'script is empty: give the RouterOS commands to run' },
        ],
      },
    })
  })

  it('rejects payloads of the wrong type', async () => {
    for (const payload of ['jobs', 42, [], null]) {
      const result = await call('jobs:get', payload)
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } })
    }
  })

  it('answers not_found for an unknown job', async () => {
    expect(await call('jobs:get', { id: 'ABCDEFGHJK' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('backups', () => {
  it('lists, reads and diffs backups, ignoring the export date line', async () => {
    const site = await addSite()
    const first = await temp.core.backups.save(site.id, '# 2024-06-05 16:00:43 by RouterOS 7.15\n# model = RB5009\n/ip dns\nset servers=1.1.1.1\n', Date.UTC(2024, 5, 5))
    const second = await temp.core.backups.save(site.id, '# 2024-06-06 08:00:00 by RouterOS 7.15\n# model = RB5009\n/ip dns\nset servers=9.9.9.9\n', Date.UTC(2024, 5, 6))

    const list = await ok('backups:list', { site_id: site.id })
    expect(list.map((b: { path: string }) => b.path)).toEqual([second, first])
    expect(list[0]).not.toHaveProperty('sha256')
    expect((await ok('backups:list', {})).length).toBe(2)

    const read = await ok('backups:read', { path: first })
    expect(read).toMatchObject({ path: first, intact: true })
    expect(read.text).toContain('set servers=1.1.1.1')

    const diff = await ok('backups:diff', { from: first, to: second })
    expect(diff.rows.filter((row: { kind: string }) => row.kind !== 'same')).toEqual([
      { kind: 'changed', left: 'set servers=1.1.1.1', right: 'set servers=9.9.9.9', left_line: 4, right_line: 4 },
    ])
    expect(diff.unified).toContain('-set servers=1.1.1.1')
    expect(diff.unified).not.toContain('by RouterOS')
  })

  it('refuses a path that is not a backup path (no reading outside the backups folder)', async () => {
    const result = await call('backups:read', { path: '../../secrets.json' })
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } })
    const diff = await call('backups:diff', { from: '../secret.key', to: 'x' })
    expect(diff).toMatchObject({ ok: false, error: { code: 'validation' } })
  })
})

describe('settings', () => {
  it('reads defaults, updates values and never returns the cloud token', async () => {
    const initial = await ok('settings:get', {})
    expect(initial).toMatchObject({ cloud_token_set: false, cloud_token_hint: null, concurrency: 16 })

    const token = 'sdx-secret-token-0123456789-WXYZ'
    const updated = await ok('settings:update', { cloud_token: token, concurrency: 4, cloud_api_url: 'http://127.0.0.1:9999' })
    expect(updated).toMatchObject({ cloud_token_set: true, cloud_token_hint: 'WXYZ', concurrency: 4, cloud_api_url: 'http://127.0.0.1:9999' })
    expect(JSON.stringify(updated)).not.toContain('0123456789')
    expect(temp.core.secrets.get(CLOUD_TOKEN_REF)).toBe(token)
    expect(JSON.stringify(await ok('settings:get'))).not.toContain(token)

    const removed = await ok('settings:update', { cloud_token: '' })
    expect(removed).toMatchObject({ cloud_token_set: false, cloud_token_hint: null, concurrency: 4 })
    expect(temp.core.secrets.get(CLOUD_TOKEN_REF)).toBeUndefined()
  })

  it('answers an update that sets the token without reading the secret store back', async () => {
    const reads = vi.spyOn(temp.core.secrets, 'get')
    expect(await ok('settings:update', { cloud_token: 'sdx-secret-token-0123456789-WXYZ' })).toMatchObject({ cloud_token_hint: 'WXYZ' })
    expect(await ok('settings:update', { cloud_token: '' })).toMatchObject({ cloud_token_set: false })
    expect(reads).not.toHaveBeenCalledWith(CLOUD_TOKEN_REF)
    await ok('settings:update', { concurrency: 2 })
    expect(reads).toHaveBeenCalledWith(CLOUD_TOKEN_REF)
  })

  it('gives no hint for a short token', async () => {
    expect(await ok('settings:update', { cloud_token: 'short' })).toMatchObject({ cloud_token_set: true, cloud_token_hint: null })
  })

  it('explains a bad cloud URL', async () => {
    const result = await call('settings:update', { cloud_api_url: 'v1.api' })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'validation', issues: [{ path: 'cloud_api_url', message: 'cloud API URL must be a URL, like https://v1.api.altostrat.io' }] },
    })
  })
})

describe('channels served by runtime services', () => {
  it('answers unavailable when the runtime has no such service', async () => {
    const site = await addSite()
    for (const [channel, payload] of [
      ['sites:check', { id: site.id }],
      ['sites:health', { id: site.id }],
      ['jobs:createBatch', { site_ids: [site.id], description: 'batch', script: ':put 1' }],
      ['status:get', {}],
    ] as const) {
      expect(await call(channel, payload)).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    }
  })

  it('uses the ports when given, and reports an answer outside the contract as internal', async () => {
    const site = await addSite()
    const sample = {
      site_id: site.id, at: '2024-06-05T16:00:00.000Z', online: true, identity: 'hq', version: '7.15', board: 'RB5009',
      cpu_load: 3, free_memory: 1, total_memory: 2, uptime: '1d', error: null,
    }
    const status = { cloud_online: null, cloud_configured: false, waiting_to_sync: 0, running: 0, pending: 1, last_sync_error: null }
    const withPorts = createApiHandlers({
      core: temp.core,
      health: { check: async () => sample, history: () => [sample] },
      status: { status: () => status },
      batches: { create: () => ({ batch_id: 'b1', jobs: [], extra: 'x' }) as never, list: () => [], get: () => unavailableInTest(), cancel: () => [] },
    })
    expect(await dispatch(withPorts, 'sites:check', { id: site.id })).toEqual({ ok: true, value: sample })
    expect(await dispatch(withPorts, 'sites:health', { id: site.id })).toEqual({ ok: true, value: [sample] })
    expect(await dispatch(withPorts, 'status:get', {})).toEqual({ ok: true, value: status })
    // Extra fields are stripped by the response schema.
    expect(await dispatch(withPorts, 'jobs:createBatch', { site_ids: [site.id], description: 'batch', script: ':put 1' })).toEqual({
      ok: true,
      value: { batch_id: 'b1', jobs: [] },
    })

    const broken = createApiHandlers({ core: temp.core, status: { status: () => ({ running: 'many' }) as never } })
    const result = await dispatch(broken, 'status:get', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
    if (!result.ok) expect(result.error.message).toContain('status:get answered outside its contract')
  })

  it('checks that the site exists before asking the health port', async () => {
    const result = await call('sites:check', { id: '7c7c1e4e-1918-4918-8a18-1e1818181818' })
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('every response matches its schema', () => {
  it('parses each successful answer with the contract', async () => {
    const site = await addSite()
    const job = (await ok('jobs:create', { site_id: site.id, description: 'check schema', script: ':put 1' })).job
    const answers = {
      'jobs:get': await ok('jobs:get', { id: job.id }),
      'jobs:list': await ok('jobs:list', {}),
      'sites:list': await ok('sites:list', {}),
      'settings:get': await ok('settings:get', {}),
    } as const
    for (const [channel, value] of Object.entries(answers)) {
      expect(ipcContract[channel as keyof typeof answers].response.safeParse(value).success).toBe(true)
    }
  })
})

function unavailableInTest(): never {
  throw new Error('not used by this test')
}
