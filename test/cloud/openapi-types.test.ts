// The committed types in src-main/core/cloud/generated/ are exactly what openapi-typescript makes of
// the spec today: regenerate and compare, so the spec and the client cannot drift apart unnoticed.
// The spec lives next to the repository (../shared/spec/altostrat-jobs.yaml), in CI as here.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { repoRoot } from '../support/repo-root'

const specPath = resolve(repoRoot, '../shared/spec/altostrat-jobs.yaml')
const committed = join(repoRoot, 'src-main/core/cloud/generated/altostrat-jobs.ts')

it('the generated API types match a fresh generation from the spec', async () => {
  expect(existsSync(specPath), `the spec is missing at ${specPath}`).toBe(true)
  const dir = mkdtempSync(join(tmpdir(), 'fieldjobs-openapi-'))
  try {
    const fresh = join(dir, 'altostrat-jobs.ts')
    await promisify(execFile)(join(repoRoot, 'node_modules/.bin/openapi-typescript'), [specPath, '-o', fresh], { cwd: repoRoot })
    const expected = readFileSync(fresh, 'utf8')
    const actual = readFileSync(committed, 'utf8')
    expect(
      actual === expected,
      'src-main/core/cloud/generated/altostrat-jobs.ts differs from the spec: run ' +
        '`npx openapi-typescript ../shared/spec/altostrat-jobs.yaml -o src-main/core/cloud/generated/altostrat-jobs.ts` ' +
        'and fix what no longer compiles',
    ).toBe(true)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
