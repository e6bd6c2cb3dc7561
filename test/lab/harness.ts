// Starts lab servers and raw clients for a test file and closes them all in afterEach.
import { afterEach } from 'vitest'
import { startRouterServer, type RouterServer, type RouterServerOptions } from '../../src-main/lab/server'
import type { SimulatedRouter } from '../../src-main/lab/router/contract'
import { FakeRouter, type FakeRouterOptions } from './fake-router'
import { RawClient, type RawClientOptions } from './raw-client'

export function useLab() {
  const servers: RouterServer[] = []
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  async function server(
    router: SimulatedRouter | FakeRouterOptions = {},
    options: RouterServerOptions = {},
  ): Promise<{ server: RouterServer; router: SimulatedRouter }> {
    const model = router instanceof FakeRouter || 'run' in router ? (router as SimulatedRouter) : new FakeRouter(router)
    const started = await startRouterServer(model, options)
    servers.push(started)
    return { server: started, router: model }
  }

  async function client(port: number, options?: RawClientOptions): Promise<RawClient> {
    const connected = await RawClient.connect(port, options)
    clients.push(connected)
    return connected
  }

  /** A logged-in client (admin/secret, the FakeRouter default). */
  async function loggedIn(port: number, options?: RawClientOptions): Promise<RawClient> {
    const connected = await client(port, options)
    const replies = await connected.login('admin', 'secret')
    if (replies.length !== 1 || replies[0][0] !== '!done') throw new Error(`login failed: ${JSON.stringify(replies)}`)
    return connected
  }

  return { server, client, loggedIn }
}
