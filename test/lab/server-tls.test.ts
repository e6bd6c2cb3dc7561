// api-ssl: TLS with the lab certificate, and a router without a certificate (anonymous DH only).
import { describe, expect, it } from 'vitest'
import { LAB_TLS_CERT } from '../../src-main/lab/wire/lab-cert'
import { useLab } from './harness'
import { RawClient } from './raw-client'

const lab = useLab()

describe('api-ssl', () => {
  it('serves the API over TLS with the lab certificate', async () => {
    const { server } = await lab.server({ identity: 'secure' }, { tls: true })
    const client = await lab.loggedIn(server.port, { tls: true })
    client.send('/system/identity/print', '.tag=s')
    expect(await client.untilDone('s')).toEqual([['!re', '.tag=s', '=name=secure'], ['!done', '.tag=s']])
  })

  it('verifies against the lab certificate as CA for 127.0.0.1', async () => {
    const { server } = await lab.server({}, { tls: true })
    const client = await lab.loggedIn(server.port, { tls: { rejectUnauthorized: true, ca: LAB_TLS_CERT } })
    expect(client.socket.readyState).toBe('open')
  })

  it('models a router without a certificate: anonymous DH only, TLS 1.2', async () => {
    const { server } = await lab.server({}, { tls: 'anonymous-dh' })
    const client = await lab.loggedIn(server.port, {
      tls: { ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0', maxVersion: 'TLSv1.2' },
    })
    const cipher = (client.socket as import('node:tls').TLSSocket).getCipher()
    expect(cipher.standardName).toBe('TLS_DH_anon_WITH_AES_256_GCM_SHA384')
    client.send('/quit')
    expect(await client.next()).toEqual(['!fatal', 'session terminated on request'])
  })

  it('fails a normal TLS client against the anonymous-DH router', async () => {
    const { server } = await lab.server({}, { tls: 'anonymous-dh' })
    await expect(RawClient.connect(server.port, { tls: true })).rejects.toThrow()
  })
})
