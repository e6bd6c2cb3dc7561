// `job list`: a header, tab-separated fields with nothing padded, the window's words for states;
// `--format csv|json` exports the whole history with every field.
import { describe, expect, it } from 'vitest'
import { Job } from '../../src-main/contract/job-schema'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()

async function dataDirWithJobs(count: number) {
  const dataDir = tempDir()
  const common = ['--data-dir', dataDir]
  await cli(['site', 'add', '--no-check', '--name', 'office', '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'P', ...common], { env: { P: 'p' } })
  const tokens: string[] = []
  for (let n = 0; n < count; n++) {
    const description = n === 0 ? 'quotes "here", a comma\nand a new line' : `change ${n}`
    const created = await cli(['job', 'create', '--site', 'office', '--description', description, '--script', '-', '--json', ...common], { stdin: `:put ${n}\n` })
    tokens.push(created.json<{ token: string }>().token)
  }
  return { common, tokens }
}

/** A minimal RFC 4180 reader: enough to prove a spreadsheet reads back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [[]]
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') rows.at(-1)!.push(field), (field = '')
    else if (c === '\r' && text[i + 1] === '\n') rows.at(-1)!.push(field), (field = ''), rows.push([]), i++
    else field += c
  }
  rows.pop()
  return rows
}

describe('job list', () => {
  it('prints a header and unpadded tab-separated fields in the window\'s words', async () => {
    const { common, tokens } = await dataDirWithJobs(2)
    await cli(['job', 'cancel', tokens[1]!, ...common])
    const listed = await cli(['job', 'list', ...common])
    const lines = listed.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('TOKEN\tSTATE\tROUTE\tSITE\tCREATED\tSTARTS\tDESCRIPTION')
    expect(lines[1]!.split('\t').slice(0, 4)).toEqual([tokens[1], 'canceled', 'auto', 'office'])
    expect(lines[2]!.split('\t')[1]).toBe('pending')
    // A description's tab or line break cannot break the columns.
    expect(lines).toHaveLength(3)
    expect((await cli(['job', 'list', '--no-header', ...common])).stdout.split('\n')[0]).toMatch(new RegExp(`^${tokens[1]}\t`))
  })

  it('--format csv exports every field of every job, readable back; --format json the same rows', async () => {
    const { common, tokens } = await dataDirWithJobs(3)
    const csv = await cli(['job', 'list', '--format', 'csv', ...common])
    expect(csv.code, csv.stderr).toBe(0)
    const [header, ...rows] = parseCsv(csv.stdout)
    for (const field of Object.keys(Job.shape).filter((key) => key !== 'error')) expect(header).toContain(field)
    expect(header).toEqual(expect.arrayContaining(['site_name', 'error_message', 'error_category']))
    expect(rows).toHaveLength(3)
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)])
    expect(column('token')).toEqual([...tokens].reverse())
    expect(column('description')).toContain('quotes "here", a comma\nand a new line')
    expect(column('site_name')).toEqual(['office', 'office', 'office'])

    const json = await cli(['job', 'list', '--format', 'json', ...common])
    const exported = json.json<Array<Record<string, unknown>>>()
    expect(exported.map((job) => job.token)).toEqual(column('token'))
    expect(exported[0]).toHaveProperty('script')
    expect((await cli(['job', 'list', '--format', 'xml', ...common])).stderr).toContain('--format must be csv or json')
  })
})
