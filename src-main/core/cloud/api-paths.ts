// Every path of the SDX Jobs API, in one place: they moved between doc versions (`/sites/{id}/jobs`
// before, `/site/{id}/job` now), so a move is a one-line change here. The base URL is a setting.
import type { paths } from './generated/altostrat-jobs'

/** Checks at compile time that each template names a path of the generated OpenAPI types. */
type ApiPath = keyof paths

const jobsTemplate = '/site/{siteId}/job' satisfies ApiPath
const jobTemplate = '/site/{siteId}/job/{jobId}' satisfies ApiPath

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] as string))

export const apiPaths = {
  /** POST: create a job on a site. */
  siteJobs: (siteId: string) => fill(jobsTemplate, { siteId }),
  /** GET: retrieve; DELETE: cancel a job that has not started. */
  siteJob: (siteId: string, jobId: string) => fill(jobTemplate, { siteId, jobId }),
} as const

/** Joins the configured base URL (which may carry a path prefix) and an API path. */
export function apiUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl)
  const prefix = base.pathname.replace(/\/+$/, '')
  return new URL(`${prefix}${path}`, base.origin)
}
