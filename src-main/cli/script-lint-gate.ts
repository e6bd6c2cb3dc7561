// `job create` and `batch create` lint the script before queueing it: warnings on stderr, and a
// script that would not parse (so would run nothing on the router) is refused unless --no-lint.
import { Script } from '../contract/job-schema'
import { CliUsageError, type CliIo } from './io'

export async function lintBeforeQueueing(script: string, io: CliIo, skip: boolean): Promise<void> {
  // An empty or oversized script is refused by the job's own validation, with its own words.
  if (skip || !Script.safeParse(script).success) return
  const { lintLine, lintScript } = await import('../lint/script-lint')
  const findings = lintScript(script)
  for (const finding of findings) if (finding.severity === 'warning') io.err(`${lintLine(finding)}\n`)
  const errors = findings.filter((finding) => finding.severity === 'error')
  if (errors.length > 0) {
    throw new CliUsageError(`${errors.map(lintLine).join('\n')}\nnothing was queued: fix the script, or add --no-lint to queue it as it is`)
  }
}
