// Compares two RouterOS exports of a site: a unified diff (for copying, `patch`, review) and aligned
// rows for the side-by-side view. The export's first line carries the time it was taken
// (`# 2024-06-05 16:00:43 by RouterOS 7.15`); left in, every pair of backups would "differ" on it,
// so that one line is dropped before comparing. The other header lines (software id, model, serial
// number) stay: a change there means the backup came from another router, which a person must see.
import { createTwoFilesPatch, diffArrays } from 'diff'
import type { BackupDiff } from '../../contract/ipc-contract'
import { FieldjobsError } from '../errors'
import { comparableLines, type ExportLine } from './export-lines'

type DiffRow = BackupDiff['rows'][number]

/** Aligned rows: removed lines followed by added lines pair up as `changed`, the rest stand alone. */
export function alignedRows(left: ExportLine[], right: ExportLine[]): DiffRow[] {
  const changes = diffArrays(
    left.map((entry) => entry.text),
    right.map((entry) => entry.text),
  )
  const rows: DiffRow[] = []
  let l = 0
  let r = 0
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]
    if (!change.added && !change.removed) {
      for (let k = 0; k < change.count; k++, l++, r++) {
        rows.push({ kind: 'same', left: left[l].text, right: right[r].text, left_line: left[l].line, right_line: right[r].line })
      }
      continue
    }
    if (change.removed) {
      const next = changes[i + 1]
      const added = next?.added ? next.count : 0
      if (added > 0) i++
      const removed = change.count
      for (let k = 0; k < Math.max(removed, added); k++) {
        const hasLeft = k < removed
        const hasRight = k < added
        const leftLine = hasLeft ? left[l++] : undefined
        const rightLine = hasRight ? right[r++] : undefined
        rows.push({
          kind: hasLeft && hasRight ? 'changed' : hasLeft ? 'removed' : 'added',
          left: leftLine?.text ?? null,
          right: rightLine?.text ?? null,
          left_line: leftLine?.line ?? null,
          right_line: rightLine?.line ?? null,
        })
      }
      continue
    }
    for (let k = 0; k < change.count; k++, r++) {
      rows.push({ kind: 'added', left: null, right: right[r].text, left_line: null, right_line: right[r].line })
    }
  }
  return rows
}

/** A backup as read from the store; `intact: false` means its file no longer matches its recorded hash. */
export interface BackupText {
  path: string
  text: string
  intact?: boolean
  /** Its number (`backup list`'s ID, the window's #) and when it was taken: the diff's file headers. */
  id?: number | null
  created_at?: string
}

/**
 * What a unified diff puts after a file's name (diff's own place for the file's time): the number a
 * person gives `backup diff` and when it was taken, since the path alone says neither.
 */
const fileHeader = (backup: BackupText) =>
  backup.id == null ? undefined : `backup ${backup.id}${backup.created_at ? `, taken ${backup.created_at}` : ''}`

/**
 * Diffs two backups' texts; `from` and `to` are their paths, used as the unified diff's file names,
 * each followed by its number and time when known.
 * Refuses a backup whose file changed on disk: a diff of it would show edits nobody made on the
 * router as if the router had made them.
 */
export function diffBackups(from: BackupText, to: BackupText): BackupDiff {
  for (const backup of [from, to]) {
    if (backup.intact === false) {
      throw new FieldjobsError(
        'conflict',
        `the backup ${backup.path} was changed on disk after it was taken (it no longer matches the hash recorded then), ` +
          'so it is not compared: open it alone to see what the file holds now, or pick another backup',
      )
    }
  }
  const left = comparableLines(from.text)
  const right = comparableLines(to.text)
  const joined = (lines: ExportLine[]) => (lines.length ? `${lines.map((entry) => entry.text).join('\n')}\n` : '')
  const unified = createTwoFilesPatch(from.path, to.path, joined(left), joined(right), fileHeader(from), fileHeader(to), { context: 3 })
  return { from: from.path, to: to.path, unified, rows: alignedRows(left, right) }
}
