// A port on 127.0.0.1 that nothing listens on: for a server that must be given its port up front
// (Prism, a lab's basePort) or a connection that must be refused.
import net from 'node:net'

/** Taken from the OS, then released: free until someone else takes it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}
