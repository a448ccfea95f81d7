/** When a 429 (the connector's or Graph's) names no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** A 429's Retry-After header in seconds, or the default when it names none (or nothing usable). */
export function retryAfterSeconds(header: string | null | undefined): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_RETRY_AFTER_SECONDS;
}
