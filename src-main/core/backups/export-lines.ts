// A RouterOS export's lines as two backups are compared: without the date line and the comments the
// router writes from its live state (backup-diff.ts says why). Apart from the diff library, so the
// backup store, which hashes every backup it keeps, loads without it.
import { createHash } from 'node:crypto'

/** `# 2024-06-05 16:00:43 by RouterOS 7.15` (v7) and `# jun/05/2024 16:00:43 by RouterOS 6.49.10` (v6). */
const EXPORT_DATE_LINE = /^#\s*\S+\s+\d{1,2}:\d{2}:\d{2}\s+by RouterOS\s+\S+/

export interface ExportLine {
  text: string
  /** 1-based line number in the backup file as stored, so the view points at the real line. */
  line: number
}

function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

/**
 * Comments RouterOS writes into an export from the router's live state, not its configuration, so
 * two exports of one unchanged configuration differ on them. The list is Oxidized's RouterOS model
 * (ytti/oxidized lib/oxidized/model/routeros.rb), which drops these for the same reason.
 */
const RUNTIME_STATUS_COMMENTS = [
  /^\s*# inactive time$/,
  /^\s*# received packet from \S+ bad format$/,
  /^\s*# poe-out status: short_circuit$/,
  /^\s*# Firmware upgraded successfully, please reboot for changes to take effect!$/,
  /^\s*# \S+ not ready$/,
]

/**
 * The export's lines without what varies per export: the date line (only the leading comment block
 * is looked at for it) and the runtime status comments anywhere.
 */
export function comparableLines(text: string): ExportLine[] {
  const result: ExportLine[] = []
  let inHeader = true
  splitLines(text).forEach((line, index) => {
    if (inHeader && !line.startsWith('#')) inHeader = false
    if (inHeader && EXPORT_DATE_LINE.test(line)) return
    if (RUNTIME_STATUS_COMMENTS.some((pattern) => pattern.test(line))) return
    result.push({ text: line, line: index + 1 })
  })
  return result
}

/** The hash two backups share exactly when their configurations are equal (see comparableLines). */
export function configurationHash(text: string): string {
  const hash = createHash('sha256')
  for (const { text: line } of comparableLines(text)) hash.update(line).update('\n')
  return hash.digest('hex')
}
