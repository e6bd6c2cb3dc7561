// The window's "Back up now" on the real core: backups:run exports the router and records it, the
// second time as unchanged; a router that does not answer is reported, not thrown.
import { afterEach, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { dispatch } from '../../src-main/api/dispatch'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { freePort } from '../support/free-port'
import { openTempCore } from '../support/temp-core'

let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

describe('backups:run', () => {
  it('backs up each site now: changed the first time, unchanged the next; an offline router says why', async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const temp = openTempCore()
    try {
      const up = temp.core.addSite({ name: 'up', host: router.host, api_port: router.port, username: router.user, password: router.password })
      const down = temp.core.addSite({ name: 'down', host: '127.0.0.1', api_port: await freePort(), username: 'admin', password: 'x' })
      const handlers = createApiHandlers({ core: temp.core })
      const first = await dispatch(handlers, 'backups:run', { site_ids: [up.id, down.id] })
      const second = await dispatch(handlers, 'backups:run', { site_ids: [up.id] })
      expect(first.ok && second.ok).toBe(true)
      const [upResult, downResult] = (first as { value: Array<{ backup: { changed: boolean } | null; error: string | null }> }).value
      expect(upResult).toMatchObject({ backup: { changed: true }, error: null })
      expect(downResult!.backup).toBeNull()
      expect(downResult!.error).toMatch(/ECONNREFUSED|refused/i)
      expect((second as { value: Array<{ backup: { changed: boolean } }> }).value[0]!.backup.changed).toBe(false)
    } finally {
      await temp.cleanup()
    }
  })
})
