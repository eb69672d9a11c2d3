// Deadlines as people read them: how long is left, or how late it is.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

// "2 d 3 h left", "45 min left", "overdue by 1 h 5 min". `due` is RFC 3339.
export function countdown(due: string, now: Date): { text: string; overdue: boolean; urgent: boolean } {
  const at = Date.parse(due);
  if (Number.isNaN(at)) return { text: 'no valid deadline', overdue: false, urgent: false };
  const left = at - now.getTime();
  const span = Math.abs(left);
  let text: string;
  if (span >= day) {
    const d = Math.floor(span / day);
    const h = Math.floor((span % day) / hour);
    text = h > 0 ? `${d} d ${h} h` : `${d} d`;
  } else if (span >= hour) {
    const h = Math.floor(span / hour);
    const m = Math.floor((span % hour) / minute);
    text = m > 0 ? `${h} h ${m} min` : `${h} h`;
  } else {
    text = `${Math.max(1, Math.floor(span / minute))} min`;
  }
  if (left < 0) return { text: `overdue by ${text}`, overdue: true, urgent: true };
  return { text: `${text} left`, overdue: false, urgent: left < 8 * hour };
}

// A timestamp in the reader's own zone, to the minute, with the zone named.
export function localTime(at: string): string {
  const t = new Date(at);
  if (Number.isNaN(t.getTime())) return at;
  return t.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  });
}
