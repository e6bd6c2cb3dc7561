// Configuration history: each backup gets a number people type (`backup diff 3 7`), the hash of its
// configuration without the lines RouterOS varies per export (so equal configurations are found by
// hash), whether it differs from the site's previous backup, and, for an unchanged one, the earlier
// backup whose file holds that configuration (the export is not stored twice).
export const sql = /* sql */ `
ALTER TABLE backups ADD COLUMN id INTEGER;
UPDATE backups SET id = rowid;
CREATE UNIQUE INDEX backups_id ON backups (id);
ALTER TABLE backups ADD COLUMN config_sha256 TEXT;
ALTER TABLE backups ADD COLUMN changed INTEGER;
ALTER TABLE backups ADD COLUMN stored_in TEXT;
`
