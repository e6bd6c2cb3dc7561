import { describe, expect, it } from 'vitest'
import { BackupDiff } from '../../src-main/contract/ipc-contract'
import { alignedRows, diffBackups } from '../../src-main/core/backups/backup-diff'
import { comparableLines } from '../../src-main/core/backups/export-lines'

const header = (date: string, serial = 'HD0123456') =>
  [`# ${date} by RouterOS 7.15`, '# software id = ABCD-1234', '#', '# model = RB5009UG+S+', `# serial number = ${serial}`].join('\n')

const exportText = (date: string, body: string[], serial?: string) => `${header(date, serial)}\n${body.join('\n')}\n`

describe('comparableLines', () => {
  it('drops the v7 date line and keeps the other header lines with their real line numbers', () => {
    const lines = comparableLines(exportText('2024-06-05 16:00:43', ['/interface bridge', 'add name=bridge']))
    expect(lines[0]).toEqual({ text: '# software id = ABCD-1234', line: 2 })
    expect(lines.map((l) => l.text)).not.toContain('# 2024-06-05 16:00:43 by RouterOS 7.15')
    expect(lines.at(-1)).toEqual({ text: 'add name=bridge', line: 7 })
  })

  it('drops the v6 date line too', () => {
    const lines = comparableLines('# jun/05/2024 16:00:43 by RouterOS 6.49.10\n# software id = X\n/ip address\n')
    expect(lines.map((l) => l.text)).toEqual(['# software id = X', '/ip address'])
  })

  it('keeps a date-like comment after the header: only the leading comment block is volatile', () => {
    const text = '# 2024-06-05 16:00:43 by RouterOS 7.15\n/system script\n# 2024-06-05 16:00:43 by RouterOS 7.15\n'
    expect(comparableLines(text).map((l) => l.line)).toEqual([2, 3])
  })

  it('treats CRLF like LF', () => {
    expect(comparableLines('/ip address\r\nadd address=10.0.0.1/24\r\n').map((l) => l.text)).toEqual([
      '/ip address',
      'add address=10.0.0.1/24',
    ])
  })
})

describe('diffBackups', () => {
  it('reports two exports that differ only in their date as identical', () => {
    const body = ['/interface bridge', 'add name=bridge1']
    const diff = diffBackups(
      { path: 'a/1.rsc', text: exportText('2024-06-05 16:00:43', body) },
      { path: 'a/2.rsc', text: exportText('2024-06-06 09:12:01', body) },
    )
    expect(BackupDiff.parse(diff)).toEqual(diff)
    expect(diff.rows.every((row) => row.kind === 'same')).toBe(true)
    expect(diff.unified).not.toMatch(/^[-+](?![-+])/m)
  })

  it('shows a changed serial number: a backup from another router is not hidden', () => {
    const diff = diffBackups(
      { path: 'a/1.rsc', text: exportText('2024-06-05 16:00:43', ['/ip address'], 'AAAA') },
      { path: 'a/2.rsc', text: exportText('2024-06-05 16:00:43', ['/ip address'], 'BBBB') },
    )
    expect(diff.rows.filter((row) => row.kind !== 'same')).toEqual([
      { kind: 'changed', left: '# serial number = AAAA', right: '# serial number = BBBB', left_line: 5, right_line: 5 },
    ])
  })

  it('produces a unified diff and aligned rows for a changed, an added and a removed line', () => {
    const from = exportText('2024-06-05 16:00:43', [
      '/ip address',
      'add address=10.0.0.1/24 interface=ether1',
      '/ip dns',
      'set servers=1.1.1.1',
      '/system identity',
      'set name=old',
    ])
    const to = exportText('2024-06-06 10:00:00', [
      '/ip address',
      'add address=10.0.0.2/24 interface=ether1',
      '/ip dns',
      '/system identity',
      'set name=old',
      '/system ntp client',
      'set enabled=yes',
    ])
    const diff = diffBackups({ path: 's/1.rsc', text: from }, { path: 's/2.rsc', text: to })
    expect(diff.unified).toContain('--- s/1.rsc')
    expect(diff.unified).toContain('+++ s/2.rsc')
    expect(diff.unified).toContain('-add address=10.0.0.1/24 interface=ether1')
    expect(diff.unified).toContain('+add address=10.0.0.2/24 interface=ether1')
    expect(diff.unified).toContain('-set servers=1.1.1.1')
    expect(diff.unified).toContain('+/system ntp client')
    expect(diff.unified).not.toContain('by RouterOS')

    const changes = diff.rows.filter((row) => row.kind !== 'same')
    expect(changes).toEqual([
      { kind: 'changed', left: 'add address=10.0.0.1/24 interface=ether1', right: 'add address=10.0.0.2/24 interface=ether1', left_line: 7, right_line: 7 },
      { kind: 'removed', left: 'set servers=1.1.1.1', right: null, left_line: 9, right_line: null },
      { kind: 'added', left: null, right: '/system ntp client', left_line: null, right_line: 11 },
      { kind: 'added', left: null, right: 'set enabled=yes', left_line: null, right_line: 12 },
    ])
    // Every line of both sides appears exactly once, in order.
    expect(diff.rows.flatMap((row) => (row.left_line ? [row.left_line] : []))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(diff.rows.flatMap((row) => (row.right_line ? [row.right_line] : []))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  })

  it('pairs more removed than added lines, leaving the rest as removed', () => {
    const rows = alignedRows(
      [{ text: 'a', line: 1 }, { text: 'b', line: 2 }, { text: 'c', line: 3 }],
      [{ text: 'x', line: 1 }],
    )
    expect(rows.map((row) => row.kind)).toEqual(['changed', 'removed', 'removed'])
  })

  it('diffs an empty backup against a full one', () => {
    const diff = diffBackups({ path: 'a', text: '' }, { path: 'b', text: '/ip address\n' })
    expect(diff.rows).toEqual([{ kind: 'added', left: null, right: '/ip address', left_line: null, right_line: 1 }])
    expect(diff.unified).toContain('+/ip address')
  })
})
