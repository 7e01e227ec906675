/** Time as every component sees it. Real by default; a manual clock lets tests advance time. */
export interface Clock {
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };
