// What a job said while it ran (connected, backup saved, script sent, a warning), kept with the job
// so its detail shows the same lines after a restart as the CLI printed live.
export const sql = /* sql */ `
CREATE TABLE job_progress (
  job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at      TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX job_progress_job ON job_progress (job_id);
`
