// What the cloud answers, validated with zod. The generated OpenAPI types are the authority: the
// type-level checks below fail to compile if these schemas accept something the spec's types do
// not, or forget a field the spec has. So the schemas cannot drift from the document either.
import * as z from 'zod'
import type { components } from './generated/altostrat-jobs'

type SpecJob = components['schemas']['Job']
type SpecErrorResponse = components['schemas']['ErrorResponse']

/** A timestamp the spec calls `date-time`: anything Date can read, so a garbled one is caught. */
const DateTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), {
  message: 'must be a date-time, like 2025-10-29T12:05:10Z',
})

/**
 * The cloud's Job. The spec marks no field required; we require `id` (nothing can be tracked
 * without it) and accept every other field as absent. Unknown fields are ignored, not refused:
 * the cloud may add fields without breaking us.
 */
export const CloudJob = z.object({
  id: z.uuid({ error: 'id must be a UUID' }),
  token: z.string().optional(),
  site_id: z.uuid().optional(),
  idempotency_key: z.uuid().optional(),
  description: z.string().optional(),
  express_execute: z.boolean().optional(),
  needs_acknowledgement: z.boolean().optional(),
  should_backup: z.boolean().optional(),
  associated_backup: z.string().nullable().optional(),
  started_at: DateTime.nullable().optional(),
  completed_at: DateTime.nullable().optional(),
  failed_at: DateTime.nullable().optional(),
  created_at: DateTime.optional(),
  log_url: z.string().optional(),
  script: z.string().optional(),
})
export type CloudJob = z.infer<typeof CloudJob>

export const CloudErrorBody = z.object({
  type: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  doc_url: z.string().optional(),
})
export type CloudErrorBody = z.infer<typeof CloudErrorBody>

// Type-level checks against the generated types (compile errors, not runtime code).
type Assert<T extends true> = T
type Extends<A, B> = [A] extends [B] ? true : false
type NoMissingKeys<Spec, Ours> = Exclude<keyof Spec, keyof Ours> extends never ? true : false
export type CloudSchemaChecks = [
  Assert<Extends<CloudJob, SpecJob>>,
  Assert<NoMissingKeys<SpecJob, CloudJob>>,
  Assert<Extends<CloudErrorBody, SpecErrorResponse>>,
  Assert<NoMissingKeys<SpecErrorResponse, CloudErrorBody>>,
]

/** The request headers of POST /site/{siteId}/job, typed by the spec. */
export type CreateJobHeaders = NonNullable<
  import('./generated/altostrat-jobs').paths['/site/{siteId}/job']['post']['parameters']['header']
>
