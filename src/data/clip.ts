// What an error message may quote from a user's file: a field can be megabytes long, and a
// message that carries it whole is unreadable (and copies it into every log line).

/** At most `max` characters of `s`, with '…' when it was cut. */
export function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** A list of names for a message: each clipped, at most `count` of them, then how many more. */
export function clipList(names: readonly string[], count = 20): string {
  const shown = names.slice(0, count).map((n) => clip(n)).join(', ');
  return names.length > count ? `${shown}, … (${names.length - count} more)` : shown;
}
