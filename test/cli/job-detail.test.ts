// `job show` prints a label column and a value column: every value starts in the same column,
// whatever labels the job has (the longest, "template values", used to run into its value), and
// its backups line up under each other with their role.
import { describe, expect, it } from 'vitest'
import { jobDetail } from '../../src-main/cli/format'
import { jobFixture } from '../support/job-fixture'

const templated = jobFixture({
  description: 'per-branch DNS',
  script: '/ip dns set servers=1.1.1.1\n',
  status: 'completed',
  template_values: { 'var.dns': '1.1.1.1', 'site.name': 'lab-router-1' },
  completed_at: '2025-01-01T10:00:01.000Z',
})
const backups = [
  { id: 7, path: 'site/100.rsc', changed: true },
  { id: 8, path: 'site/101.rsc', changed: false },
]

/** The label part of each labelled line before the script, and the column its value starts in. */
function valueColumns(text: string): Map<string, number> {
  const columns = new Map<string, number>()
  for (const line of text.split('\n')) {
    const match = /^(\S+(?: \S+)?)( +)\S/.exec(line)
    if (match && !line.startsWith(' ')) columns.set(match[1]!, match[1]!.length + match[2]!.length)
  }
  return columns
}

describe('job show', () => {
  it('starts every value in one column, the template values too', () => {
    const text = jobDetail(templated, 'lab-router-1', backups)
    expect(text).toContain('var.dns=1.1.1.1 site.name=lab-router-1\n')
    expect(text).not.toMatch(/template values\S/)
    const columns = new Set(valueColumns(text).values())
    expect(valueColumns(text).get('template values')).toBeDefined()
    expect(columns.size).toBe(1)
  })

  it('lines the backups up under each other, with their role and whether they changed anything', () => {
    const lines = jobDetail(templated, 'lab-router-1', backups).split('\n')
    const backupLines = lines.filter((line) => /site\/10[01]\.rsc/.test(line))
    expect(backupLines).toHaveLength(2)
    expect(backupLines[0]).toMatch(/^backups +7 {2}before {2}site\/100\.rsc$/)
    expect(backupLines[1]).toMatch(/^ +8 {2}after {3}site\/101\.rsc {2}\(unchanged\)$/)
    expect(backupLines[0]!.indexOf('site/')).toBe(backupLines[1]!.indexOf('site/'))
    expect(lines).toContain(`${'changed'.padEnd(16)}fieldjobs backup diff 7 8`)
  })

  it('says nothing of backups for a job without any', () => {
    expect(jobDetail(templated, 'lab-router-1')).not.toMatch(/^(backups|changed) /m)
  })

  it("labels a cancel's reason as one, not as an error", () => {
    const canceled = jobFixture({ status: 'canceled', error: { message: 'canceled because the batch stopped', category: 'canceled', line: null, column: null } })
    expect(jobDetail(canceled)).toMatch(/^reason +canceled because the batch stopped \[canceled\]$/m)
    expect(jobDetail(canceled)).not.toMatch(/^error /m)
  })
})
