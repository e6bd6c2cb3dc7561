// The slice of the job history the list has loaded: a sparse array as long as `total`, filled in
// pages with keyset paging (before_seq) as rows come into view, and kept current with core events.
//
// Scrolling from a loaded row is exact (the next page starts right after that row's seq). A jump
// into the middle (a scrollbar drag) has no loaded neighbour, so the page's before_seq is estimated
// by interpolating seq between the nearest loaded rows. Without filters seqs are dense and the
// estimate is exact; with filters a jumped-to region may sit a few rows off its true index until
// the engineer scrolls into it from a loaded row. That trade keeps 100,000 jobs smooth without an
// offset query, which SQLite would answer by walking every skipped row.
import type { CoreEvent } from '../../../src-main/contract/events'
import type { JobListRequest, JobPage } from '../../../src-main/contract/ipc-contract'
import type { Job, JobStatus } from '../../../src-main/contract/job-schema'
import { errorMessage } from '../api/error-message'

export type JobFilter = Omit<JobListRequest, 'before_seq' | 'limit'>

export type FetchJobPage = (request: JobListRequest) => Promise<JobPage>

/** Rows fetched per request when scrolling (about 7 screens); the first page is sized to the viewport. */
export const PAGE_SIZE = 200
const MAX_PAGE = 1000

/** Does `job` belong in a list with this filter? The same rules as the store's WHERE clause. */
export function jobMatches(job: Job, filter: JobFilter, status: JobStatus = job.status): boolean {
  if (filter.site_id && job.site_id !== filter.site_id) return false
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(status)) return false
  if (filter.route && job.route !== filter.route) return false
  const search = filter.search?.trim()
  if (search) {
    const needle = search.toLowerCase()
    if (
      job.token !== search &&
      !job.description.toLowerCase().includes(needle) &&
      !job.script.toLowerCase().includes(needle)
    ) {
      return false
    }
  }
  return true
}

export class JobWindow {
  /** rows[i] is the i-th newest matching job, or undefined while not loaded. Length == total. */
  rows: Array<Job | undefined> = []
  loaded = false
  error: string | null = null
  /** How many rows were prepended by events: fetches in flight shift their target by this much. */
  private prepended = 0
  /** Requests in flight: first index -> last index they will fill. */
  private readonly inflight = new Map<number, number>()
  private disposed = false
  /**
   * Events that arrived while the first page was on its way. The page was read at some moment in
   * between, so each of them may be in it already or not; they are replayed onto it when it lands.
   */
  private early: CoreEvent[] | null = []

  constructor(
    private readonly fetchPage: FetchJobPage,
    readonly filter: JobFilter,
    private readonly onChange: () => void,
  ) {}

  get total(): number {
    return this.rows.length
  }

  dispose(): void {
    this.disposed = true
  }

  /** Loads the newest `count` rows and the total; the list shows nothing until this lands. */
  async start(count = PAGE_SIZE): Promise<void> {
    try {
      const page = await this.fetchPage({ ...this.request(), limit: Math.min(Math.max(count, 1), MAX_PAGE) })
      if (this.disposed) return
      // Filled, not holey: lastIndexOf/some must see the unloaded rows.
      this.rows = new Array<Job | undefined>(page.total).fill(undefined)
      page.jobs.forEach((job, i) => {
        if (i < this.rows.length) this.rows[i] = job
      })
      this.loaded = true
      this.error = null
      const early = this.early ?? []
      this.early = null
      for (const event of early) this.applyLoaded(event, true)
    } catch (error) {
      if (this.disposed) return
      this.error = errorMessage(error)
      this.early = null // Nothing to replay onto: a failed first page is replaced, not filled.
    }
    this.onChange()
  }

  /** Fetches whatever rows in [start, end] are missing; one request per hole, none twice. */
  ensure(start: number, end: number): void {
    if (!this.loaded || this.disposed) return
    const last = Math.min(end, this.total - 1)
    for (let index = Math.max(start, 0); index <= last; index++) {
      if (this.rows[index] !== undefined) continue
      if (this.isInflight(index)) continue
      let holeEnd = index
      while (holeEnd < last && this.rows[holeEnd + 1] === undefined) holeEnd++
      void this.fill(index, holeEnd)
      index = holeEnd
    }
  }

  private isInflight(index: number): boolean {
    for (const [from, to] of this.inflight) if (index >= from && index <= to) return true
    return false
  }

  private async fill(from: number, to: number): Promise<void> {
    const limit = Math.min(MAX_PAGE, Math.max(PAGE_SIZE, to - from + 1))
    const anchor = this.rows[from - 1]
    const beforeSeq = anchor ? anchor.seq : this.estimateSeqAt(from) + 1
    const prependedAtStart = this.prepended
    this.inflight.set(from, from + limit - 1)
    try {
      const page = await this.fetchPage({ ...this.request(), before_seq: beforeSeq, limit })
      if (this.disposed) return
      // Rows prepended meanwhile pushed our target down; an anchored page follows its anchor.
      let at = from + (this.prepended - prependedAtStart)
      if (anchor) {
        const anchorIndex = this.rows.findIndex((row) => row?.id === anchor.id)
        if (anchorIndex >= 0) at = anchorIndex + 1
      }
      page.jobs.forEach((job, i) => {
        if (at + i < this.rows.length) this.rows[at + i] = job
      })
    } catch (error) {
      if (this.disposed) return
      this.error = errorMessage(error)
    } finally {
      this.inflight.delete(from)
    }
    this.onChange()
  }

  /** Interpolates the seq of row `index` between the nearest loaded rows on either side. */
  private estimateSeqAt(index: number): number {
    let above = index - 1
    while (above >= 0 && this.rows[above] === undefined) above--
    let below = index + 1
    while (below < this.total && this.rows[below] === undefined) below++
    const aboveSeq = above >= 0 ? this.rows[above]!.seq : (this.rows.find(Boolean)?.seq ?? 0) + 1
    // One past the oldest row: seqs start at 1, so the virtual row after the last has seq 0.
    const belowSeq = below < this.total ? this.rows[below]!.seq : 0
    const span = below - above
    return Math.round(aboveSeq - ((index - above) * (aboveSeq - belowSeq)) / span)
  }

  /**
   * Applies a core event; returns whether the rows changed. Before the first page has landed the
   * event is kept and replayed onto it, so a job created or run meanwhile is not lost.
   */
  apply(event: CoreEvent): boolean {
    if (this.disposed) return false
    if (!this.loaded) {
      if (this.early && (event.type === 'job.created' || event.type === 'job.changed')) this.early.push(event)
      return false
    }
    return this.applyLoaded(event, false)
  }

  /**
   * Replayed events (`early`) are applied in the order they happened. A row the page holds ends at
   * the state of its last event, which is the state the page read or a newer one; a job created
   * before the read is in the page already (the newest come first) and is not added twice.
   */
  private applyLoaded(event: CoreEvent, early: boolean): boolean {
    if (event.type === 'job.created') {
      if (!jobMatches(event.job, this.filter)) return false
      if (this.rows.some((row) => row?.id === event.job.id)) return false
      // By seq, not at the top: another process's job can be announced after a newer one of ours.
      this.rows.splice(this.insertionIndex(event.job.seq), 0, event.job)
      this.prepended++
      return true
    }
    if (event.type !== 'job.changed') return false
    const { job, from } = event
    const index = this.rows.findIndex((row) => row?.id === job.id)
    const isCounted = jobMatches(job, this.filter)
    if (index >= 0) {
      if (isCounted) this.rows[index] = job
      else this.rows.splice(index, 1)
      return true
    }
    // Among the loaded rows and not there: it did not match when the page was read (or since), or
    // its creation never reached this list (another process's job, first heard of as a change).
    // Either way it belongs there now.
    const withinLoaded = job.seq >= this.loadedDownToSeq()
    if (isCounted && withinLoaded) {
      this.rows.splice(this.insertionIndex(job.seq), 0, job)
      return true
    }
    const wasCounted = jobMatches(job, this.filter, from)
    if (wasCounted === isCounted) return false
    // An early event for a row never loaded may be counted in the total already or not: the total
    // is left as read (one off at worst until the list is next read) rather than guessed.
    if (early && !withinLoaded) return false
    if (isCounted) {
      this.rows.splice(this.insertionIndex(job.seq), 0, job)
      return true
    }
    if (withinLoaded) return false
    // It left the filter from a row we never loaded: drop one unloaded row from the end.
    const lastHole = this.rows.lastIndexOf(undefined)
    if (lastHole >= 0) this.rows.splice(lastHole, 1)
    else this.rows.pop()
    return true
  }

  /**
   * Every matching job with a seq this high or higher is in the rows: the seq of the oldest row
   * loaded from the top without a gap, or -Infinity when nothing is left unloaded.
   */
  private loadedDownToSeq(): number {
    let oldest = Number.POSITIVE_INFINITY
    for (const row of this.rows) {
      if (row === undefined) return oldest
      oldest = row.seq
    }
    return Number.NEGATIVE_INFINITY
  }

  /** Where a job with this seq goes among the loaded rows at the top (newest first). */
  private insertionIndex(seq: number): number {
    let index = 0
    while (index < this.rows.length) {
      const row = this.rows[index]
      if (row === undefined || row.seq < seq) return index
      index++
    }
    return index
  }

  private request(): JobListRequest {
    const request: JobListRequest = {}
    if (this.filter.site_id) request.site_id = this.filter.site_id
    if (this.filter.statuses && this.filter.statuses.length > 0) request.statuses = this.filter.statuses
    if (this.filter.route) request.route = this.filter.route
    const search = this.filter.search?.trim()
    if (search) request.search = search
    return request
  }
}
