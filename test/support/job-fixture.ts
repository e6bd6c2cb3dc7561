// A whole Job as the contract has it, for tests that need one without a store: a pending LAN-capable
// job with nothing happened yet; callers override what their case is about.
import type { Job } from '../../src-main/contract/job-schema'

export function jobFixture(fields: Partial<Job> = {}): Job {
  return {
    id: '7f1c2f5e-93a1-4c55-9d0e-2b6f4d1f0a11',
    token: 'FJ-7K3M',
    site_id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
    idempotency_key: '0b6e2f3c-1d4a-4e5b-8c7d-9e0f1a2b3c4d',
    description: 'a job',
    express_execute: false,
    needs_acknowledgement: true,
    should_backup: false,
    associated_backup: null,
    started_at: null,
    completed_at: null,
    failed_at: null,
    created_at: '2025-01-01T09:59:00.000Z',
    log_url: null,
    script: '/system identity print',
    seq: 1,
    status: 'pending',
    route: 'auto',
    ran_route: null,
    attempts: 0,
    next_attempt_at: null,
    error: null,
    output: null,
    cancel_requested_at: null,
    canceled_at: null,
    cancel_refused_reason: null,
    cloud_job_id: null,
    sync_state: 'local',
    synced_at: null,
    revert_after_s: null,
    batch_id: null,
    updated_at: '2025-01-01T09:59:00.000Z',
    ...fields,
  }
}
