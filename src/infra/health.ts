export type HealthState = 'up' | 'down' | 'disabled';

/** One dependency's readiness probe. A critical one that is down makes the instance unavailable. */
export interface HealthCheck {
  name: string;
  critical: boolean;
  check(): Promise<HealthState>;
}
