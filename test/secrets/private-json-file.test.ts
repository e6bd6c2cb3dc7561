// The sealed-secrets file is read once and kept, so a second writer (the CLI beside the app) must
// still be seen at the next read, and a caller must not change the kept copy.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyFileSecretStore } from '../../src-main/core/secrets/key-file-secret-store'
import { PrivateJsonFile } from '../../src-main/core/secrets/private-json-file'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

describe('private JSON file', () => {
  it('sees another writer at the next read, and hands out copies', () => {
    const dir = tempDir('fieldjobs-private-json-')
    const app = new KeyFileSecretStore(dir)
    const cli = new KeyFileSecretStore(dir)
    app.set('site:1', 'first')
    expect(app.get('site:1')).toBe('first')
    cli.set('site:1', 'changed by the CLI')
    cli.set('site:2', 'added by the CLI')
    expect(app.get('site:1')).toBe('changed by the CLI')
    expect(app.get('site:2')).toBe('added by the CLI')
    cli.delete('site:2')
    expect(app.get('site:2')).toBeUndefined()

    const file = new PrivateJsonFile<number>(join(dir, 'numbers.json'))
    expect(file.read()).toEqual({})
    file.write({ a: 1 })
    const copy = file.read()
    copy.a = 2
    expect(file.read()).toEqual({ a: 1 })
    expect(statSync(file.path).mode & 0o777).toBe(0o600)
  })
})
