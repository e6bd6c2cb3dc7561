// `job list --format csv|json`: the whole history with every field, for a spreadsheet or a script.
import { Job } from '../contract/job-schema'

/** The error's fields as their own columns, so a spreadsheet can filter on category or line. */
type ExportedJob = Omit<Job, 'error'> & {
  site_name: string
  error_message: string | null
  error_category: string | null
  error_line: number | null
  error_column: number | null
}

export function exportedJob(job: Job, siteName: string): ExportedJob {
  const { error, ...fields } = job
  return {
    ...fields,
    site_name: siteName,
    error_message: error?.message ?? null,
    error_category: error?.category ?? null,
    error_line: error?.line ?? null,
    error_column: error?.column ?? null,
  }
}

/** RFC 4180: every field quoted when it holds a quote, comma or line break; CRLF between records. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Every field of the contract's Job, in its order, then the site's name and the error's fields. */
const CSV_COLUMNS = [
  ...Object.keys(Job.shape).filter((key) => key !== 'error'),
  'site_name',
  'error_message',
  'error_category',
  'error_line',
  'error_column',
]

export function jobsCsv(jobs: readonly ExportedJob[]): string {
  const columns = CSV_COLUMNS
  const lines = [columns.join(','), ...jobs.map((job) => columns.map((column) => csvField((job as Record<string, unknown>)[column])).join(','))]
  return `${lines.join('\r\n')}\r\n`
}
