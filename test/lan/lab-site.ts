// A lab router registered as a site of a temporary core: what the LAN tests start from.
import type { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import type { Site } from '../../src-main/contract/site-schema'
import type { LabRouter } from '../../src-main/lab/lab'

/** Takes any router that says where it listens and how to log in: a LabRouter, or one a lab child process reported. */
export function addLabSite(
  core: FieldjobsCore,
  router: Pick<LabRouter, 'name' | 'host' | 'port' | 'user' | 'password'>,
  overrides: Record<string, unknown> = {},
): Site {
  return core.addSite({
    name: router.name,
    host: router.host,
    api_port: router.port,
    username: router.user,
    password: router.password,
    ...overrides,
  })
}
