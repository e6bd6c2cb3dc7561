// Small statistics for benchmarks: the machine is noisy, so report medians and percentiles.
export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low] + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low)
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits))
