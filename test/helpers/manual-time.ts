/** Time the test moves by hand: timers it fires itself, and waiting on conditions (never on durations). */

/** Timers the test fires by hand. */
export class ManualTimers {
  readonly armed: { fire: () => void; delayMs: number; cancelled: boolean; fired: boolean }[] = [];
  readonly set = (fire: () => void, delayMs: number) => {
    const timer = { fire, delayMs, cancelled: false, fired: false };
    this.armed.push(timer);
    return () => void (timer.cancelled = true);
  };
  /** Fires every live timer armed so far (not the ones they arm). */
  fireAll(): void {
    for (const t of this.armed.filter((x) => !x.cancelled && !x.fired)) {
      t.fired = true;
      t.fire();
    }
  }
  live(): number {
    return this.armed.filter((x) => !x.cancelled && !x.fired).length;
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

