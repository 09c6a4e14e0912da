// Error codes of the dashboard router (rendered like every AppError: `{ error, code, details }`).
export const DASHBOARD_ERROR_CODES = Object.freeze({
  /** The page's files (web/dashboard) or Chart.js could not be found at start-up. */
  DASHBOARD_ASSETS_MISSING: 'DASHBOARD_ASSETS_MISSING',
  /** data/metrics/refresh_benchmark.json does not exist (no benchmark run yet). */
  DASHBOARD_BENCHMARK_ABSENT: 'DASHBOARD_BENCHMARK_ABSENT',
  /** data/metrics/refresh_benchmark.json exists but is not readable JSON. */
  DASHBOARD_BENCHMARK_INVALID: 'DASHBOARD_BENCHMARK_INVALID',
  /** An unknown file under /assets/. */
  DASHBOARD_ASSET_NOT_FOUND: 'DASHBOARD_ASSET_NOT_FOUND',
} as const);
export type DashboardErrorCode = (typeof DASHBOARD_ERROR_CODES)[keyof typeof DASHBOARD_ERROR_CODES];
