// The partial indexes on jobs.status (migrations 0006 and 0013) and the exact terms that select them.
// SQLite uses a partial index only when the query repeats the index's WHERE term word for word; it
// does not reason that `status = 'failed'` implies `status IN ('failed', ...)`. So queries that
// want these indexes add the term below verbatim. test/core/job-status-indexes.test.ts checks the
// query plans, so a drift between these strings and the migration fails there, not in production.
import type { JobStatus } from '../../contract/job-schema'

/** `column IN ('a', 'b')`: the text a migration's partial-index WHERE spells, for these values in this order. */
export const term = (column: string, values: readonly string[]) => `${column} IN (${values.map((value) => `'${value}'`).join(', ')})`

/** Jobs waiting or being worked on: index jobs_queue (status, lanQueueTerm's expression, express_execute DESC, seq, site_id). */
export const OPEN_STATUSES = ['pending', 'in_progress', 'canceling'] as const satisfies readonly JobStatus[]
export const OPEN_TERM = term('status', OPEN_STATUSES)

/**
 * jobs_queue's second column: the job is the LAN queue's to run, not the cloud's. An index column
 * that is an expression is used only for the same expression, so the claim spells it through this,
 * on its own alias.
 */
export const lanQueueTerm = (alias: string) => `(${alias}.route <> 'cloud' AND ${alias}.sync_state = 'local') = 1`

/** Settled jobs that ask for attention: index jobs_settled (status, seq). */
export const ATTENTION_STATUSES = ['failed', 'canceled', 'unknown', 'reverted'] as const satisfies readonly JobStatus[]
export const ATTENTION_TERM = term('status', ATTENTION_STATUSES)

/** The term naming the partial index that holds every one of `statuses`, if one does. */
export function statusIndexTerm(statuses: readonly JobStatus[]): string | undefined {
  if (statuses.length === 0) return undefined
  const within = (set: readonly JobStatus[]) => statuses.every((status) => set.includes(status))
  if (within(OPEN_STATUSES)) return OPEN_TERM
  if (within(ATTENTION_STATUSES)) return ATTENTION_TERM
  return undefined
}
