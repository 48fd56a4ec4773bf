// How long a span of data time is, in the words an alert uses: seconds under a minute,
// whole minutes under an hour, tenths of an hour beyond. A leak found within a minute
// (a fire drill) read "for 0 min" when everything was whole minutes.

/** `ms` as "45 s", "12 min" or "1.5 h". */
export function spanOfTime(ms: number): string {
  if (ms < 59_500) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 3_570_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
