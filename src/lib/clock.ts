/** The time source, passed in wherever the current time matters so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (at: Date | string): Clock => {
  const d = new Date(at);
  return { now: () => new Date(d) };
};

export const isoNow = (clock: Clock) => clock.now().toISOString();
