// A tiny inline SVG line: the shape of a series, not its axes. Gaps (null) break the line.
export function Sparkline({
  values,
  max,
  label,
  testId,
  width = 160,
  height = 28,
}: {
  values: Array<number | null>
  /** The top of the scale; the series' own maximum when not given. */
  max?: number
  label: string
  testId: string
  width?: number
  height?: number
}) {
  const known = values.filter((value): value is number => value !== null)
  const top = max ?? Math.max(1, ...known)
  const step = values.length > 1 ? width / (values.length - 1) : width
  const segments: string[] = []
  let current = ''
  values.forEach((value, index) => {
    if (value === null) {
      if (current) segments.push(current)
      current = ''
      return
    }
    const x = (index * step).toFixed(1)
    const y = (height - 1 - (Math.min(value, top) / top) * (height - 2)).toFixed(1)
    current += `${current ? 'L' : 'M'}${x},${y} `
  })
  if (current) segments.push(current)
  const last = known[known.length - 1]
  return (
    <figure className="sparkline" data-testid={testId}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${known.length} samples`}>
        <rect x="0" y="0" width={width} height={height} className="spark-bg" />
        {segments.map((d, index) => (
          <path key={index} d={d.trim()} className="spark-line" />
        ))}
      </svg>
      <figcaption>
        {label} {last === undefined ? '—' : `${Math.round(last)}${max === 100 ? '%' : ''}`}
      </figcaption>
    </figure>
  )
}
