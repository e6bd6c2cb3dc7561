// The job list's status column is narrow: a time soon is said as short as it can be read.
import { describe, expect, it } from 'vitest'
import { formatSoon, formatTime } from '../../src-renderer/src/jobs/job-wording'

describe('formatSoon', () => {
  // Local times, so the test means the same in any time zone.
  const local = (day: number, hours: number, minutes: number, seconds = 0) => new Date(2026, 11, day, hours, minutes, seconds)

  it('is the time of day for a time today', () => {
    expect(formatSoon(local(7, 22, 0).toISOString(), local(7, 17, 56))).toBe('22:00:00')
  })

  it('is the date without the year, and minutes, for another day', () => {
    expect(formatSoon(local(8, 3, 15, 30).toISOString(), local(7, 23, 59))).toBe('12-08 03:15')
    expect(formatTime(local(8, 3, 15, 30).toISOString())).toBe('2026-12-08 03:15:30')
  })
})
