// Taking a text export of a router before a job changes it. `/export` over the API returns no text,
// so: on RouterOS 7, `/execute =script=/export =as-string=` returns it in `=ret=`; RouterOS 6 refuses
// `as-string` (`unknown parameter`), so there `/export file=` writes a file we read back with
// `/file/print` and remove. Trying v7's way first costs v6 one refused command and saves v7 (the
// common case) a version lookup.
import type { RouterClient } from '../routeros/router-client'
import { isUnknownParameter } from '../routeros/router-errors'

export class BackupError extends Error {
  override name = 'BackupError'
}

export interface ExportOptions {
  /** A name for the temporary file on RouterOS 6 (without `.rsc`). */
  fileName: string
  timeoutMs?: number
}

export async function takeExport(client: RouterClient, options: ExportOptions): Promise<string> {
  try {
    const reply = await client.command('/execute', { script: '/export', 'as-string': '' }, { timeoutMs: options.timeoutMs })
    return normaliseExport(reply.done.ret ?? '')
  } catch (error) {
    if (!isUnknownParameter(error)) throw error
  }
  // RouterOS 6.
  const file = `${options.fileName}.rsc`
  await client.command('/export', { file: options.fileName }, { timeoutMs: options.timeoutMs })
  try {
    const [entry] = await client.print('/file/print', { '.proplist': 'name,contents' }, { queries: [`name=${file}`], timeoutMs: options.timeoutMs })
    if (!entry) throw new BackupError(`the router wrote no ${file}: the export could not be read back`)
    if (entry.contents === undefined) {
      throw new BackupError(
        `the export ${file} is larger than the ~4 KB RouterOS 6 lets the API read; take the backup by FTP/SFTP, or run the job without a backup`,
      )
    }
    return normaliseExport(entry.contents)
  } finally {
    // The temporary file must not stay on the router, even when reading it failed.
    await client.command('/file/remove', { numbers: file }, { timeoutMs: options.timeoutMs }).catch(() => {})
  }
}

/** Exports come with CRLF line ends over the API; backups are stored with LF. */
function normaliseExport(text: string): string {
  const lf = text.replace(/\r\n/g, '\n')
  if (!lf.startsWith('# ')) throw new BackupError('the router returned something that is not an export (no header line)')
  return lf.endsWith('\n') ? lf : `${lf}\n`
}
