// An independent client checks the lab's pre-6.43 challenge login: mikronode-ng (2016) speaks only
// that login, tags every command with its channel id, and parses replies its own way.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { useLab } from './harness'

// mikronode-ng is CommonJS without types: only the calls this test makes are declared.
interface MikronodeConnection {
  on(event: 'error' | 'trap' | 'close', listener: (...args: unknown[]) => void): void
  getConnectPromise(): Promise<MikronodeConnection>
  getCommandPromise(command: string): Promise<Array<Record<string, string>>>
  close(force?: boolean): void
}
interface Mikronode {
  getConnection(host: string, user: string, password: string, options: { port: number; timeout?: number }): MikronodeConnection
}
const mikronode = createRequire(import.meta.url)('mikronode-ng') as Mikronode

const lab = useLab()

describe('mikronode-ng against a lab router', () => {
  it('logs in with the challenge and prints the identity', async () => {
    const { server } = await lab.server(
      { identity: 'lab-router-old', version: '6.42.12', users: { admin: { password: 'fieldjobs' } } },
      { loginStyle: 'challenge' },
    )
    const connection = mikronode.getConnection('127.0.0.1', 'admin', 'fieldjobs', { port: server.port })
    const ready = await connection.getConnectPromise()
    const items = await ready.getCommandPromise('/system/identity/print')
    expect(items).toEqual([{ name: 'lab-router-old' }])
    // close() sends /quit and drops the socket on the `!fatal`. Its own 'close' event cannot be
    // awaited (it removes all listeners before emitting it), so wait for the lab to see the close.
    // Important: closing the lab first would reset the socket, and mikronode-ng's 'error' event then
    // has no listener left and crashes the process.
    ready.close()
    await server.whenNoConnections()
  })

  it('is refused with a wrong password', async () => {
    const { server } = await lab.server({ version: '6.42.12', users: { admin: { password: 'fieldjobs' } } })
    const connection = mikronode.getConnection('127.0.0.1', 'admin', 'wrong', { port: server.port })
    await expect(connection.getConnectPromise()).rejects.toBeDefined()
  })
})
