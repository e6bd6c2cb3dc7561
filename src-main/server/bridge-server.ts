// The browser bridge behind `fieldjobs serve`: the built window over HTTP, the IPC contract as
// POST /api/<channel> (JSON body -> IpcResult JSON), and core events on the /events WebSocket, all on
// loopback and all but the static files behind the access token. The same handlers and dispatch as
// the Electron IPC, so a browser tab and the app window cannot behave differently.
import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import type { ApiHandlers } from '../api/api-handlers'
import { dispatch } from '../api/dispatch'
import { httpStatusFor } from '../api/ipc-error'
import type { CoreEvent } from '../contract/events'
import { ipcFailure } from '../contract/ipc-contract'
import { contentSecurityPolicy } from '../electron/security'
import { newAccessToken, tokenFromHeaders, tokenMatches } from './access-token'
import { isAllowedHostHeader, isLoopbackHost } from './loopback'
import { resolveStaticFile } from './static-files'

/** Larger than any valid request (a 64 KB script plus its batch of site ids), small enough to refuse abuse. */
const MAX_BODY_BYTES = 1024 * 1024
/** A tab that stops reading its events is dropped rather than buffered without end. */
const MAX_EVENT_BACKLOG_BYTES = 8 * 1024 * 1024

export interface BridgeServerOptions {
  handlers: ApiHandlers
  subscribe(listener: (event: CoreEvent) => void): () => void
  /** The built renderer (out/renderer); undefined serves the API only. */
  rendererDir?: string
  host?: string
  port?: number
  token?: string
}

export interface BridgeServer {
  readonly host: string
  readonly port: number
  readonly token: string
  /** The page's origin, like http://127.0.0.1:5170. */
  readonly origin: string
  /** The URL to open: origin + `/#token=...` (a fragment: never sent to a server, nor in Referer). */
  readonly url: string
  close(): Promise<void>
}

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy('production'),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  response.end(text)
}

function sendError(response: ServerResponse, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value)
  sendJson(response, httpStatusFor(code), ipcFailure(code, message))
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        // Stop keeping it, but read it to the end, so the caller gets our 413 rather than a reset.
        request.removeAllListeners('data')
        request.resume()
        reject(new Error('too_large'))
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function refuseUpgrade(socket: Socket, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopbackHost(host)) {
    throw new Error(`the browser bridge binds to loopback only (127.0.0.1, ::1 or localhost), not ${host}: it can run scripts on your routers`)
  }
  const token = options.token ?? newAccessToken()
  let port = 0

  const handleApi = async (request: IncomingMessage, response: ServerResponse, channel: string) => {
    if (!tokenMatches(tokenFromHeaders(request.headers), token)) {
      return sendError(response, 'unauthorized', 'the access token is missing or wrong: open the URL `fieldjobs serve` printed', {
        'WWW-Authenticate': 'Bearer',
      })
    }
    if (request.method !== 'POST') return sendError(response, 'method_not_allowed', 'API calls are POST with a JSON body', { Allow: 'POST' })
    // A JSON content type cannot be sent cross-site without a CORS preflight, which this server never grants.
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return sendError(response, 'validation', 'send the request as Content-Type: application/json')
    }
    let payload: unknown
    try {
      const body = await readBody(request)
      payload = body.trim() === '' ? {} : JSON.parse(body)
    } catch (error) {
      if ((error as Error).message === 'too_large') {
        return sendError(response, 'too_large', `the request is larger than ${MAX_BODY_BYTES / 1024} KB`, { Connection: 'close' })
      }
      return sendError(response, 'validation', 'the request body is not valid JSON')
    }
    const result = await dispatch(options.handlers, channel, payload)
    sendJson(response, result.ok ? 200 : httpStatusFor(result.error.code), result)
  }

  const handleStatic = (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD' })
      return response.end()
    }
    const file = options.rendererDir ? resolveStaticFile(options.rendererDir, path) : undefined
    if (!file) {
      response.writeHead(404, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' })
      return response.end(options.rendererDir ? 'not found\n' : 'this bridge serves the API only (no out/renderer)\n')
    }
    response.writeHead(200, {
      ...securityHeaders,
      'Content-Type': file.contentType,
      'Content-Length': file.size,
      // index.html names hashed assets; it must be fetched again after a rebuild, they need not.
      'Cache-Control': file.file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
    })
    if (request.method === 'HEAD') return response.end()
    createReadStream(file.file).pipe(response)
  }

  const server: Server = createServer((request, response) => {
    if (!isAllowedHostHeader(request.headers.host, port)) {
      response.writeHead(421, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' })
      return response.end('this server answers only to 127.0.0.1 or localhost\n')
    }
    const path = (request.url ?? '/').split('?')[0]
    if (path.startsWith('/api/')) {
      let channel: string
      try {
        channel = decodeURIComponent(path.slice('/api/'.length))
      } catch {
        return sendError(response, 'unknown_channel', 'no such call')
      }
      handleApi(request, response, channel).catch((error: unknown) => {
        if (!response.headersSent) sendError(response, 'internal', `internal error: ${(error as Error).message}`)
        else response.destroy()
      })
      return
    }
    handleStatic(request, response, path)
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 })
  server.on('upgrade', (request, socket: Socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (!isAllowedHostHeader(request.headers.host, port)) return refuseUpgrade(socket, '421 Misdirected Request')
    if (url.pathname !== '/events') return refuseUpgrade(socket, '404 Not Found')
    // A browser cannot set headers on a WebSocket, so the page sends the token as a query parameter.
    const given = url.searchParams.get('token') ?? tokenFromHeaders(request.headers)
    if (!tokenMatches(given, token)) return refuseUpgrade(socket, '401 Unauthorized')
    sockets.handleUpgrade(request, socket, head, (client) => {
      // The page only listens; anything it sends is ignored.
      client.on('message', () => {})
      sockets.emit('connection', client, request)
    })
  })

  const unsubscribe = options.subscribe((event) => {
    if (sockets.clients.size === 0) return
    const text = JSON.stringify(event)
    for (const client of sockets.clients) {
      if (client.readyState !== WebSocket.OPEN) continue
      if (client.bufferedAmount > MAX_EVENT_BACKLOG_BYTES) client.terminate()
      else client.send(text)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const origin = `http://${urlHost}:${port}`

  return {
    host,
    port,
    token,
    origin,
    url: `${origin}/#token=${token}`,
    async close() {
      unsubscribe()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
