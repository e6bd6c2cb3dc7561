// `job create` and `batch create` lint the script before queueing it: warnings on stderr, and a
// script that would not parse (so would run nothing on the router) is refused unless --no-lint.
import { Script } from '../contract/job-schema'
import { CliUsageError, type CliIo } from './io'

/**
 * `reported`: the RouterOS versions the target routers last reported (site check, probe), so a
 * RouterOS 6 command is not warned about for a RouterOS 6 router; the default lab's when none is
 * known. A finding is said once, however many versions share it.
 */
export async function lintBeforeQueueing(script: string, io: CliIo, skip: boolean, reported: ReadonlyArray<string | null> = []): Promise<void> {
  // An empty or oversized script is refused by the job's own validation, with its own words.
  if (skip || !Script.safeParse(script).success) return
  const { lintForRouters, lintLine } = await import('../lint/script-lint')
  const findings = lintForRouters(script, reported)
  for (const finding of findings) if (finding.severity === 'warning') io.err(`${lintLine(finding)}\n`)
  const errors = findings.filter((finding) => finding.severity === 'error')
  if (errors.length > 0) {
    throw new CliUsageError(`${errors.map(lintLine).join('\n')}\nnothing was queued: fix the script, or add --no-lint to queue it as it is`)
  }
}
