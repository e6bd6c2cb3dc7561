// `fieldjobs lab` in-process: prints the routers, serves them until the signal aborts, then closes.
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { labCommand } from '../../src-main/cli/commands/lab'
import type { CliIo } from '../../src-main/cli/io'
import { RawClient } from './raw-client'

function fakeIo() {
  const controller = new AbortController()
  let out = ''
  let err = ''
  let printed: () => void = () => {}
  const firstOutput = new Promise<void>((resolve) => (printed = resolve))
  const io: CliIo = {
    out(text) {
      out += text
      printed()
    },
    err(text) {
      err += text
    },
    env: {},
    readStdin: async () => '',
    signal: controller.signal,
  }
  return { io, controller, firstOutput, output: () => out, errors: () => err }
}

function connectError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(undefined)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code))
  })
}

describe('fieldjobs lab', () => {
  it('prints the routers as JSON, serves them, and stops on the signal', async () => {
    const { io, controller, firstOutput, output } = fakeIo()
    const running = labCommand(['--routers', '2', '--json', '--version', '7.17'], io)
    await firstOutput
    const routers = JSON.parse(output()) as Array<{ name: string; host: string; port: number; user: string; password: string; version: string }>
    expect(routers.map((router) => router.name)).toEqual(['lab-router-1', 'lab-router-2'])
    expect(routers[0]).toMatchObject({ host: '127.0.0.1', user: 'admin', version: '7.17', tls: false })
    const client = await RawClient.connect(routers[1].port)
    expect(await client.login(routers[1].user, routers[1].password)).toEqual([['!done']])
    client.close()
    controller.abort()
    expect(await running).toBe(0)
    expect(await connectError(routers[0].port)).toBe('ECONNREFUSED')
  })

  it('prints one line per router with host, port, user and password', async () => {
    const { io, controller, firstOutput, output, errors } = fakeIo()
    const running = labCommand(['--routers', '1', '--tls', '--latency-ms', '1-2'], io)
    await firstOutput
    controller.abort()
    expect(await running).toBe(0)
    expect(output()).toMatch(/^lab-router-1 {2}127\.0\.0\.1:\d+ \(api-ssl\) {2}user admin {2}password lab-[0-9a-f]{8} {2}RouterOS 7\.18\.2\n$/)
    expect(errors()).toContain('Ctrl+C')
  })

  it('prints usage for --help without starting anything', async () => {
    const { io, output } = fakeIo()
    expect(await labCommand(['--help'], io)).toBe(0)
    expect(output()).toContain('fieldjobs lab [--routers N]')
  })
})
