// The job's 10-character token: short enough to read over the phone and to grep in router logs,
// random enough (62^10, about 8e17) that collisions are a retry, not a design concern.
import { randomInt } from 'node:crypto'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const TOKEN_LENGTH = 10

export function newJobToken(): string {
  let token = ''
  for (let i = 0; i < TOKEN_LENGTH; i++) token += alphabet[randomInt(alphabet.length)]
  return token
}
