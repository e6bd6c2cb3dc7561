// A site is one router the engineer works on: how to reach it on the LAN, and optionally its SDX
// cloud twin. Shared by main and renderer, like the job schema.
import * as z from 'zod'
import { Uuid } from './job-schema'
import { codePages } from './site-values'

export const CodePage = z.enum(codePages)
export type CodePage = z.infer<typeof CodePage>

const SiteName = z
  .string()
  .trim()
  .min(1, { message: 'site name is required' })
  .max(64, { message: 'site name must be at most 64 characters' })
  .regex(/^[^\s/\\][^/\\]*$/, { message: 'site name may not start with a space or contain slashes' })

const Host = z
  .string()
  .trim()
  .min(1, { message: 'host is required: the router address, like 192.168.88.1' })
  .max(253)
  .regex(/^[A-Za-z0-9.:\-[\]%]+$/, { message: 'host must be an IP address or a host name' })

const Port = z
  .number({ error: 'port must be a number' })
  .int({ message: 'port must be a whole number' })
  .min(1, { message: 'port must be between 1 and 65535' })
  .max(65535, { message: 'port must be between 1 and 65535' })

/** A group name a batch or a backup run can select by (`--tag T`). */
export const SiteTag = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, {
    message: 'a tag is 1-32 letters, digits, dots, dashes or underscores, starting with a letter or digit (like branch-north)',
  })

/** A variable a template fills in as {{var.KEY}}. */
export const SiteVarKey = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
    message: 'a variable name is letters, digits and underscores, starting with a letter or underscore (like dns_primary)',
  })
export const SiteVarValue = z.string().max(4096, { message: 'a variable value must be at most 4096 characters' })
export const SiteTags = z
  .array(SiteTag)
  .max(64)
  .transform((tags) => [...new Set(tags)].sort())
export const SiteVars = z.record(z.string(), SiteVarValue).superRefine((vars, context) => {
  for (const key of Object.keys(vars)) {
    const checked = SiteVarKey.safeParse(key)
    if (!checked.success) context.addIssue({ code: 'custom', path: [key], message: `"${key}": ${checked.error.issues[0]?.message}` })
  }
})

export const SiteMac = z
  .string()
  .trim()
  .transform((mac) => mac.toUpperCase().replace(/-/g, ':'))
  .refine((mac) => /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/.test(mac), { message: 'a MAC address is six hex pairs, like 48:A9:8A:11:65:C0' })

const SiteFields = {
  name: SiteName,
  host: Host,
  api_port: Port.optional(),
  tls: z.boolean().default(false),
  username: z.string().min(1, { message: 'username is required' }).max(64),
  cloud_site_id: Uuid.nullable().default(null),
  code_page: CodePage.default('auto'),
  /** Anonymous-DH api-ssl: only on the user's say-so, because it cannot detect a man in the middle. */
  allow_anonymous_dh: z.boolean().default(false),
  tags: SiteTags.default([]),
  vars: SiteVars.default({}),
  /** The router's MAC as discovery announced it (site add --from-discovery, the window's Add). */
  mac: SiteMac.nullable().default(null),
}

export const NewSiteInput = z.object({
  ...SiteFields,
  /** The router password; stored in the secret store, never in the database. */
  password: z.string().max(1024).default(''),
})
export type NewSiteInput = z.input<typeof NewSiteInput>

/**
 * An api-ssl certificate's SHA-256 fingerprint, as Node and Winbox print it (`AB:CD:...`, 32 bytes);
 * colons and case are optional on input and normalized.
 */
export const TlsFingerprint = z
  .string()
  .trim()
  .transform((value) => value.replace(/:/g, '').toUpperCase())
  .refine((hex) => /^[0-9A-F]{64}$/.test(hex), {
    message: 'a TLS fingerprint is the SHA-256 of the certificate: 64 hex digits, colons optional (AB:CD:...)',
  })
  .transform((hex) => hex.match(/../g)!.join(':'))

export const SiteUpdate = z.object({
  id: Uuid,
  name: SiteName.optional(),
  host: Host.optional(),
  api_port: Port.optional(),
  tls: z.boolean().optional(),
  username: z.string().min(1).max(64).optional(),
  cloud_site_id: Uuid.nullable().optional(),
  code_page: CodePage.optional(),
  allow_anonymous_dh: z.boolean().optional(),
  /** null forgets the pinned certificate: the next connection pins whatever the router presents. */
  tls_fingerprint: TlsFingerprint.nullable().optional(),
  password: z.string().max(1024).optional(),
  /** The whole set of tags (replaces the old set). */
  tags: SiteTags.optional(),
  /** The whole set of variables (replaces the old set). */
  vars: SiteVars.optional(),
})
export type SiteUpdate = z.input<typeof SiteUpdate>

export const Site = z.object({
  id: Uuid,
  name: z.string(),
  host: z.string(),
  api_port: z.number().int(),
  tls: z.boolean(),
  username: z.string(),
  /** A reference into the secret store, never the secret. */
  secret_ref: z.string(),
  cloud_site_id: z.string().nullable(),
  code_page: CodePage,
  allow_anonymous_dh: z.boolean(),
  /** The api-ssl certificate's SHA-256 fingerprint, pinned on first use. */
  tls_fingerprint: z.string().nullable(),
  tags: z.array(z.string()),
  vars: z.record(z.string(), z.string()),
  mac: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type Site = z.infer<typeof Site>
