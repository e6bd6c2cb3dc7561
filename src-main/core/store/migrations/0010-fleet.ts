// Fleet work: sites carry tags (groups a batch or a backup run can name) and variables (the values a
// templated script fills in per router), both as JSON on the site row, because they are read with
// the site and a fleet is tens of routers, not millions. Jobs keep the template they were rendered
// from and the values used, for the record; not_before is a maintenance window's start (the queue
// itself waits through next_attempt_at, this column is what people are shown); batch_concurrency
// caps how many of a batch's jobs run at once, on the job so the claim needs no join.
export const sql = /* sql */ `
ALTER TABLE sites ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sites ADD COLUMN vars TEXT NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN not_before INTEGER;
ALTER TABLE jobs ADD COLUMN template TEXT;
ALTER TABLE jobs ADD COLUMN template_values TEXT;
ALTER TABLE jobs ADD COLUMN batch_concurrency INTEGER;
ALTER TABLE batches ADD COLUMN canary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN concurrency INTEGER;
ALTER TABLE batches ADD COLUMN canary_done_at TEXT;
`
