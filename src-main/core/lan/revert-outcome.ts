// What a commit-confirmed job ends as, from what the script delivery reported and how the revert
// window settled (commit-confirmed.ts). The words are what the engineer reads in the job detail.
import { jobError } from '../../contract/job-schema'
import type { ExecutionOutcome } from '../queue/executor'
import type { ArmedRevert, RevertSettlement } from './commit-confirmed'

const joined = (...parts: Array<string | undefined>) => parts.filter((part) => part !== undefined && part !== '').join('\n')

/** The delivery's own account (output, or its error), kept in the output of what follows. */
function scriptAccount(delivered: ExecutionOutcome): string | undefined {
  if (delivered.kind === 'failed') return joined(delivered.output, `script: ${delivered.error.message}`)
  return 'output' in delivered ? delivered.output : undefined
}

export function revertOutcome(delivered: ExecutionOutcome, settlement: RevertSettlement, armed: ArmedRevert, revertAfterS: number): ExecutionOutcome {
  const at = `${armed.routerRestoreTime} (router time)`
  switch (settlement.kind) {
    case 'confirmed': {
      const note = settlement.late
        ? `confirmed late: the router did not answer within the ${revertAfterS} s revert window, but its restore at ${at} had not run ` +
          '(its clock may differ, or it restarted meanwhile); it answers now, so the change was kept and the revert schedule and snapshot removed'
        : `confirmed: the router answered on a new connection after the script, so the revert schedule and snapshot were removed`
      if (delivered.kind === 'completed') return { kind: 'completed', output: joined(delivered.output, note) }
      if (delivered.kind === 'failed') return { ...delivered, output: joined(delivered.output, note) }
      if (delivered.kind === 'canceled') return { kind: 'canceled', output: joined(delivered.output, note) }
      return delivered
    }
    case 'reverted':
      return {
        kind: 'reverted',
        error: jobError(
          `the router did not answer on a new connection within ${revertAfterS} s after the script, so it restored the configuration ` +
            `from before the job at ${at}; it answers again and its configuration equals that snapshot`,
          'connection',
        ),
        output: scriptAccount(delivered),
      }
    case 'restore-differs':
      return {
        kind: 'failed',
        error: jobError(
          `the router did not answer after the script and its scheduled restore ran at ${at}, but its configuration now differs ` +
            `from the snapshot taken before the job: check the router (the snapshot is kept on it as ${armed.snapshotFile})`,
          'router',
        ),
        output: scriptAccount(delivered),
      }
    case 'unreachable':
      return {
        kind: 'failed',
        error: jobError(
          `the router did not answer after the script, nor after its scheduled restore at ${at}: whether it restored the ` +
            `configuration from before the job is not known; check it (scheduler ${armed.schedulerName}, snapshot ${armed.snapshotFile})`,
          'connection',
        ),
        output: scriptAccount(delivered),
      }
    case 'abandoned':
      return {
        kind: 'canceled',
        output: joined(
          scriptAccount(delivered),
          `canceled while the router did not answer after the script: the app stopped waiting; the router still restores the ` +
            `configuration from before the job at ${at} (scheduler ${armed.schedulerName}) unless someone removes that schedule`,
        ),
      }
  }
}
