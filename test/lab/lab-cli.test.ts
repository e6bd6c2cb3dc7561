// `fieldjobs lab` in-process: prints the routers, serves them until the signal aborts, then closes.
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { cli, startCli } from '../support/cli-harness'
import { RawClient } from './raw-client'

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
    const { printed, exited, stop } = startCli(['lab', '--routers', '2', '--json', '--version', '7.17'])
    const routers = JSON.parse(await printed) as Array<{ name: string; host: string; port: number; user: string; password: string; version: string }>
    expect(routers.map((router) => router.name)).toEqual(['lab-router-1', 'lab-router-2'])
    expect(routers[0]).toMatchObject({ host: '127.0.0.1', user: 'admin', version: '7.17', tls: false })
    const client = await RawClient.connect(routers[1].port)
    expect(await client.login(routers[1].user, routers[1].password)).toEqual([['!done']])
    client.close()
    stop()
    expect(await exited).toBe(0)
    expect(await connectError(routers[0].port)).toBe('ECONNREFUSED')
  })

  it('prints one line per router with host, port, user and password', async () => {
    const { printed, exited, stop, output } = startCli(['lab', '--routers', '1', '--tls', '--latency-ms', '1-2'])
    await printed
    stop()
    expect(await exited).toBe(0)
    expect(output().stdout).toMatch(/^lab-router-1 {2}127\.0\.0\.1:\d+ \(api-ssl\) {2}user admin {2}password lab-[0-9a-f]{8} {2}RouterOS 7\.18\.2\n$/)
    expect(output().stderr).toContain('Ctrl+C')
  })

  it('prints usage for --help without starting anything', async () => {
    const help = await cli(['lab', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('fieldjobs lab [--routers N]')
  })
})
