// The log's last line of defence: field names that carry secrets are blanked, known secrets are
// replaced wherever they appear, and the file rotates by size.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JsonLinesLog } from '../../src-main/core/log/json-lines-log'
import { isSecretFieldName, redactFields } from '../../src-main/core/log/redact-fields'
import { startApiRuntime } from '../../src-main/api/api-runtime'
import { redactSecrets } from '../../src-main/core/secrets/redaction'
import { addSite, openTempCore, validJob } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

describe('log redaction', () => {
  it.each([
    ['password', true],
    ['cloud_token', true],
    ['Authorization', true],
    ['api_key', true],
    ['client-secret', true],
    ['token', true],
    ['message', false],
    ['tls_fingerprint', false],
    ['tokens_used', false],
  ])('%s is a secret field name: %s', (name, secret) => {
    expect(isSecretFieldName(name)).toBe(secret)
  })

  it('replaces known secrets anywhere and blanks secret field names, deep', () => {
    const fields = {
      error: { message: 'login failed for pw hunter2-xyz on 10.0.0.1' },
      headers: { Authorization: 'Bearer abc', accept: 'json' },
      list: ['hunter2-xyz', 'fine'],
      password: 'anything',
      empty_token: '',
      fingerprint: 'AB:CD',
    }
    expect(redactFields(fields, ['hunter2-xyz'])).toEqual({
      error: { message: 'login failed for pw [redacted] on 10.0.0.1' },
      headers: { Authorization: '[redacted]', accept: 'json' },
      list: ['[redacted]', 'fine'],
      password: '[redacted]',
      empty_token: '',
      fingerprint: 'AB:CD',
    })
    // A secret containing another is hidden whole; a too-short "secret" does not blank words.
    expect(redactSecrets('x abcdef-long y abcdef', ['abcdef', 'abcdef-long', 'ab'])).toBe('x [redacted] y [redacted]')
  })

  it('writes JSON lines with secrets redacted, and rotates by size keeping N files', () => {
    const dir = tempDir('fieldjobs-log-')
    let secrets = ['s3cret-one']
    const log = new JsonLinesLog({ dir, maxBytes: 400, keep: 2, knownSecrets: () => secrets, now: () => 0 })
    log.write('warn', 'cloud.sync_error', { error: 'HTTP 401 for token s3cret-one' })
    secrets = ['s3cret-one', 's3cret-two']
    log.write('info', 'site.changed', { note: 'password now s3cret-two' })
    const lines = readFileSync(log.file, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    expect(lines[0]).toEqual({ at: '1970-01-01T00:00:00.000Z', level: 'warn', event: 'cloud.sync_error', error: 'HTTP 401 for token [redacted]' })
    expect(lines[1].note).toBe('password now [redacted]')
    for (let i = 0; i < 20; i++) log.write('info', 'job.progress', { message: `line ${i} ${'x'.repeat(60)}` })
    expect(log.files().map((file) => file.slice(dir.length + 1))).toEqual(['fieldjobs.log', 'fieldjobs.log.1', 'fieldjobs.log.2'])
    for (const file of log.files()) expect(readFileSync(file).length).toBeLessThanOrEqual(400)
    expect(readFileSync(join(dir, 'fieldjobs.log'), 'utf8')).toContain('line 19')
  })

  it('serve mode: the cloud token from FIELDJOBS_API_TOKEN is redacted from the log too', async () => {
    const temp = openTempCore()
    const token = 'env-token-7f3e9c1d'
    const api = startApiRuntime(temp.core, {
      env: { FIELDJOBS_API_TOKEN: token },
      cloud: false,
      probeIntervalS: 0,
      executor: { execute: () => new Promise(() => {}) },
      stopGraceMs: 0,
    })
    const { job } = temp.core.jobs.create(validJob(addSite(temp.core).id))
    temp.core.events.publish({ type: 'job.progress', job_id: job.id, message: `the cloud said 401 to ${token}`, at: new Date().toISOString() })
    await api.stop()
    const text = readFileSync(join(temp.dataDir, 'logs', 'fieldjobs.log'), 'utf8')
    expect(text).toContain('the cloud said 401 to [redacted]')
    expect(text).not.toContain(token)
    await temp.cleanup()
  })

  it('a password given to a site added or changed while the app runs is redacted from then on', async () => {
    const temp = openTempCore()
    const api = startApiRuntime(temp.core, { cloud: false, probeIntervalS: 0, executor: { execute: () => new Promise(() => {}) }, stopGraceMs: 0 })
    const say = (message: string) => temp.core.events.publish({ type: 'job.progress', job_id: 'j', message, at: new Date().toISOString() })
    const site = temp.core.addSite({ name: 'late', host: '10.0.0.9', username: 'admin', password: 'added-late-pw-91' })
    say('login failed with added-late-pw-91')
    temp.core.updateSite({ id: site.id, password: 'changed-later-pw-37' })
    say('login failed with changed-later-pw-37')
    await api.stop()
    const text = readFileSync(join(temp.dataDir, 'logs', 'fieldjobs.log'), 'utf8')
    expect(text).not.toContain('added-late-pw-91')
    expect(text).not.toContain('changed-later-pw-37')
    expect(text.match(/login failed with \[redacted\]/g)).toHaveLength(2)
    await temp.cleanup()
  })
})
