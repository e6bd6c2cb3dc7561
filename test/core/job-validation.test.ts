import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { NewJobInput, SCRIPT_MAX_BYTES } from '../../src-main/contract/job-schema'
import { NewSiteInput } from '../../src-main/contract/site-schema'

const base = { site_id: randomUUID(), description: 'add a vlan', script: '/interface vlan add name=v10 vlan-id=10 interface=ether1' }
const messages = (input: unknown) => {
  const result = NewJobInput.safeParse(input)
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
}

describe('job validation (the cloud API rules)', () => {
  it('applies the defaults: needs ack true, backup false, express false, route auto', () => {
    const job = NewJobInput.parse(base)
    expect(job).toMatchObject({ needs_acknowledgement: true, should_backup: false, express_execute: false, route: 'auto' })
    expect(job.idempotency_key).toBeUndefined()
  })

  it.each([
    ['ab', /at least 3/],
    ['  ab  ', /at least 3/],
    ['x'.repeat(101), /at most 100/],
  ])('refuses the description %j', (description, message) => {
    expect(messages({ ...base, description }).join()).toMatch(message)
  })

  it('accepts every not_before its own error message gives as an example', () => {
    // The message is what a user copies from; an example it refuses sends them round in a circle.
    const [refused] = messages({ ...base, not_before: 'tonight at ten' })
    const examples = refused?.match(/\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})/g) ?? []
    expect(examples.length).toBeGreaterThanOrEqual(2)
    for (const not_before of examples) expect(messages({ ...base, not_before })).toEqual([])
  })

  it('accepts descriptions of exactly 3 and 100 characters, counting characters, not bytes', () => {
    expect(messages({ ...base, description: 'abc' })).toEqual([])
    expect(messages({ ...base, description: 'я'.repeat(100) })).toEqual([])
    expect(messages({ ...base, description: '🙂'.repeat(100) })).toEqual([])
  })

  it('refuses an empty or blank script', () => {
    expect(messages({ ...base, script: '' }).join()).toMatch(/script: script is empty/)
    expect(messages({ ...base, script: ' \n\t' }).join()).toMatch(/script is empty/)
  })

  it('refuses a script over 64 KB, counting UTF-8 bytes', () => {
    expect(messages({ ...base, script: 'a'.repeat(SCRIPT_MAX_BYTES) })).toEqual([])
    expect(messages({ ...base, script: 'a'.repeat(SCRIPT_MAX_BYTES + 1) }).join()).toMatch(/larger than 64 KB/)
    expect(messages({ ...base, script: 'я'.repeat(SCRIPT_MAX_BYTES / 2 + 1) }).join()).toMatch(/larger than 64 KB/)
  })

  it.each(['not-a-uuid', '7c7c1e4e19184918', '', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'])(
    'refuses the idempotency key %j',
    (key) => {
      expect(messages({ ...base, idempotency_key: key }).join()).toMatch(/idempotency_key: must be a UUID/)
    },
  )

  it('refuses a site id that is not a UUID and an unknown route', () => {
    expect(messages({ ...base, site_id: 'office' }).join()).toMatch(/site_id: must be a UUID/)
    expect(messages({ ...base, route: 'wifi' }).join()).toMatch(/route/)
  })

  it('refuses flags of the wrong type rather than guessing', () => {
    expect(messages({ ...base, should_backup: 'yes' }).join()).toMatch(/should_backup/)
  })
})

describe('site validation', () => {
  const site = { name: 'office', host: '192.168.88.1', username: 'admin', password: 'x' }
  it('accepts a site and leaves the port to the TLS default', () => {
    expect(NewSiteInput.parse(site)).toMatchObject({ tls: false, code_page: 'auto', cloud_site_id: null })
  })
  it.each([
    [{ host: '' }, /host is required/],
    [{ host: 'bad host!' }, /IP address or a host name/],
    [{ api_port: 0 }, /between 1 and 65535/],
    [{ api_port: 70000 }, /between 1 and 65535/],
    [{ name: '' }, /site name is required/],
    [{ cloud_site_id: 'abc' }, /must be a UUID/],
    [{ code_page: 'klingon' }, /code_page/],
  ])('refuses %j', (override, message) => {
    const result = NewSiteInput.safeParse({ ...site, ...override })
    expect(result.success).toBe(false)
    if (!result.success) expect(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join()).toMatch(message)
  })
})
