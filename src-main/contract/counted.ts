// A count with its noun, "1 job" or "3 jobs", one rule for the window and the command line. Both
// said "3 job(s)" in places, which reads as a form, not a sentence.

/** `count` and `noun`, the noun plural unless the count is 1 (every noun said here takes an s). */
export const counted = (count: number, noun: string): string => `${count} ${count === 1 ? noun : `${noun}s`}`

/** The verb after counted(): "1 job was", "3 jobs were". */
export const wasOrWere = (count: number): string => (count === 1 ? 'was' : 'were')
