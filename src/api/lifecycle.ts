// Process lifecycle flags shared by main (SIGTERM) and the readiness probe.
export interface Lifecycle {
  /** Set first on SIGTERM so load balancers stop sending traffic before the server closes. */
  shuttingDown: boolean;
}

export function createLifecycle(): Lifecycle {
  return { shuttingDown: false };
}
