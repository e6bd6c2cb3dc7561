// The MAC of a site added from discovery, so the next discovery knows it as a site even after its
// address changed (DHCP, a new uplink).
export const sql = /* sql */ `
ALTER TABLE sites ADD COLUMN mac TEXT;
`
