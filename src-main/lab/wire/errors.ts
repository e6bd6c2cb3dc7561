/**
 * The peer broke the RouterOS API framing (a reserved length byte, a word past our size limit).
 * The stream cannot be resynchronised after this: the only sane reaction is to drop the connection.
 */
export class WireProtocolError extends Error {
  override name = 'WireProtocolError'
}
