// The one configuration schema (zod), read from the environment at start-up and passed in.
// Names and defaults follow the seed pipeline so the same .env drives both.
import { z } from 'zod';
import { AppError, ERROR_CODES } from '../errors/app-error.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

// Whole numbers written in digits. An empty value means the default, as for booleans and lists:
// coercion alone read `PORT=` as 0 (a random port) and `RATE_LIMIT_PER_MINUTE=` as 0 (limiting
// off), and accepted `1e3` or `0x1388` (found by an audit).
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => {
      const text = typeof v === 'number' ? String(v) : v;
      return typeof text === 'string' && text.trim() === '' ? undefined : typeof text === 'string' ? text.trim() : text;
    },
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number written in digits')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .default(fallback),
  );

const list = (fallback: string, separator: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => v.split(separator).map((s) => s.trim()).filter(Boolean));

export const configSchema = z.object({
  MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').default('mongodb://localhost:27017'),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only').default('gold_serving'),
  MINIO_ENDPOINT: z.string().min(1).default('localhost:9000'),
  MINIO_ACCESS_KEY: z.string().default('minioadmin'),
  MINIO_SECRET_KEY: z.string().default('minioadmin'),
  MINIO_SECURE: bool(false),
  MINIO_REGION: z.string().default('us-east-1'),
  GOLD_BUCKET: z.string().min(1).default('gold'),
  GOLD_PREFIX: z.string().default(''),
  LOCAL_GOLD_DIRS: list('data/spark_lake/gold:data/gold', ':'),
  PORT: int(5000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // `*` or origins as browsers send them (scheme://host[:port], no path): `https://b.com/`
  // would never match an Origin header, silently (found by an audit).
  CORS_ORIGINS: list('*', ',').superRefine((origins, ctx) => {
    for (const origin of origins) {
      if (origin !== '*' && !/^https?:\/\/[^/\s?#]+$/.test(origin)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(origin)} is not an origin: * or scheme://host[:port] (no path, no trailing slash) expected` });
    }
  }),
  API_KEYS: list('', ','),
  // Requests per minute per client (0 = off). The bound is high enough to keep limiting active
  // without ever reaching it under a load test (bench:api sets 100,000,000).
  RATE_LIMIT_PER_MINUTE: int(600, 0, 1_000_000_000),
  QUERY_TIMEOUT_MS: int(2000, 10, 600_000),
  CACHE_MAX_ENTRIES: int(500, 0, 1_000_000),
  // API additions (issue 4): cache byte bound, how often the cache re-reads the publish version,
  // how fast a down MongoDB turns into a 503, and the SIGTERM drain timings.
  CACHE_MAX_BYTES: int(64 * 1024 * 1024, 0, 8 * 1024 * 1024 * 1024),
  CACHE_VERSION_CHECK_MS: int(1000, 0, 3_600_000),
  MONGO_SERVER_SELECTION_TIMEOUT_MS: int(2000, 100, 120_000),
  // Cache hits answered by a thread of their own (src/server/front-thread), where CORS is `*`;
  // false keeps every request in the main thread (the front lane then runs there).
  FRONT_THREAD: bool(true),
  SHUTDOWN_DELAY_MS: int(0, 0, 120_000),
  SHUTDOWN_GRACE_MS: int(10_000, 0, 600_000),
  // Publisher: worker threads loading big tables (0 = one per core up to 4, 1 = the main thread only).
  PUBLISH_WORKERS: int(0, 0, 64),
});

export type Config = z.infer<typeof configSchema>;

/** Validates the environment; a bad value is an AppError naming the variable and what was expected. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ variable: issue.path.join('.'), problem: issue.message }));
  const summary = details.map((d) => `${d.variable}: ${d.problem}`).join('; ');
  throw new AppError(ERROR_CODES.CONFIG_INVALID, `invalid configuration: ${summary}`, { status: 500, details });
}
