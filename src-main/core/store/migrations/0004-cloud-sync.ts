// Cloud sync bookkeeping. A job remembers the cloud site id it was created under: the site's id may
// be edited later, and the job must still be polled and canceled where it actually lives.
export const sql = /* sql */ `
ALTER TABLE jobs ADD COLUMN cloud_site_id TEXT;
`
