// Serves a built page folder on 127.0.0.1 (port 0) for the harness tests, with the bridge's own
// path rules and content types (resolveStaticFile).
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolveStaticFile } from '../../src-main/server/static-files'

export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (path === '/favicon.ico') return void response.writeHead(204).end()
    const found = resolveStaticFile(root, path)
    if (!found) return void response.writeHead(404).end()
    try {
      const body = await readFile(found.file)
      response.writeHead(200, { 'content-type': found.contentType })
      response.end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
