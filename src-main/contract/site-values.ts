// A site's plain values, without zod, so the stores load without it (fieldjobs-stores.ts says
// why). site-schema.ts builds its schemas from these.

/** Code pages RouterOS text may be in; `auto` reads valid UTF-8 as UTF-8, else windows-1252. */
export const codePages = ['auto', 'utf-8', 'windows-1252', 'windows-1251', 'windows-1250', 'iso-8859-1'] as const

/** The RouterOS API's ports: plain and api-ssl. */
export const API_PORT = 8728
export const API_SSL_PORT = 8729

export const defaultPort = (tls: boolean) => (tls ? API_SSL_PORT : API_PORT)
