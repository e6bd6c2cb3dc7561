// The bridge with the whole runtime, cloud side: settings from the window reach the running sync at
// once, status:get reports it, and a cloud job created over HTTP is synced to the SDX fake, with the
// window told over the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { type RunningApi, startApiRuntime } from '../../src-main/api/api-runtime'
import type { CoreEvent } from '../../src-main/contract/events'
import { type BridgeServer, startBridgeServer } from '../../src-main/server/bridge-server'
import { createBrowserApi } from '../../src-renderer/src/transport'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
let running: RunningApi
let bridge: BridgeServer
let fake: CloudFake

beforeAll(async () => {
  temp = openTempCore()
  // The device never runs the job: this test is about the window, the bridge and the sync.
  fake = await CloudFake.start({ device: { startAfterMs: null } })
  running = startApiRuntime(temp.core, { probeIntervalS: 0, env: {} })
  bridge = await startBridgeServer({
    handlers: createApiHandlers(running.runtime),
    subscribe: (listener) => temp.core.events.subscribe(listener),
  })
})

afterAll(async () => {
  await bridge?.close()
  await running?.stop()
  await fake?.close()
  await temp?.cleanup()
})

describe('the cloud through the bridge', () => {
  it('reports status, applies a new token at once and syncs a cloud job', async () => {
    let opened!: () => void
    const open = new Promise<void>((resolve) => (opened = resolve))
    const api = createBrowserApi({
      baseUrl: bridge.origin,
      token: bridge.token,
      WebSocket: WebSocket as never,
      onEventStreamState: (state) => state === 'open' && opened(),
    })

    expect(await api['status:get']({})).toMatchObject({ cloud_configured: false, cloud_online: null, pending: 0, running: 0 })

    const settings = await api['settings:update']({ cloud_api_url: fake.url, cloud_token: fake.token })
    expect(settings).toMatchObject({ cloud_api_url: fake.url, cloud_token_set: true })
    expect(JSON.stringify(settings)).not.toContain(fake.token)
    expect(await api['status:get']({})).toMatchObject({ cloud_configured: true })

    const site = await api['sites:add']({
      name: 'cloud-only',
      host: '127.0.0.1',
      api_port: 1,
      username: 'admin',
      cloud_site_id: '0b7f7b4e-5a4b-4c6e-9a53-6f3f8d0f1a2b',
    })
    const synced = new Promise<CoreEvent>((resolve) => {
      const stop = api.onEvent((event) => {
        if (event.type === 'job.changed' && event.job.sync_state === 'synced') {
          stop()
          resolve(event)
        }
      })
    })
    await open
    const { job } = await api['jobs:create']({ site_id: site.id, description: 'via the cloud', script: ':put 1', route: 'cloud' })
    expect(job).toMatchObject({ route: 'cloud', sync_state: 'outbox' })
    expect(await synced).toMatchObject({ job: { id: job.id, cloud_job_id: expect.any(String) } })
    expect(await api['status:get']({})).toMatchObject({ cloud_configured: true, cloud_online: true, waiting_to_sync: 0 })

    await api['settings:update']({ cloud_token: '' })
    expect(await api['status:get']({})).toMatchObject({ cloud_configured: false })
  })
})
