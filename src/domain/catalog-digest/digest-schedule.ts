/**
 * The digest's weekly slot: a day, a time and a time zone (DIGEST_DAY, DIGEST_TIME,
 * DIGEST_TIMEZONE) as the scheduler's period and offset from the epoch (a Thursday, 00:00 UTC).
 * A zone with daylight saving is read at its offset now: after a change of offset the digest
 * comes an hour early or late until the next start (each replica computes the same slots).
 */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEK_MS = 7 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Minutes the zone is ahead of UTC at `at` (Europe/Paris in winter: 60). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** True when Intl knows the zone ("UTC", "Europe/Paris"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `{ everyMs, offsetMs }` for the scheduler: the week's slot starts on `day` at `time` ("09:00") in `timeZone`. */
export function weeklySlot(day: Weekday, time: string, timeZone: string, now: Date = new Date()): { everyMs: number; offsetMs: number } {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new Error(`weeklySlot: "${time}" is not HH:MM`);
  // The epoch is a Thursday: Monday is 4 days later.
  const dayIndex = (WEEKDAYS.indexOf(day) + 4) % 7;
  const local = dayIndex * DAY_MS + (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  const offsetMs = (((local - zoneOffsetMinutes(timeZone, now) * 60_000) % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return { everyMs: WEEK_MS, offsetMs };
}
