// Pure model of the YAML that `docker-compose config` prints (interpolated, normalised: long port
// syntax, depends_on maps, environment maps), for the deployment tests.
import { parse } from 'yaml';

export interface PortMapping {
  readonly target: number;
  readonly published: number | undefined;
}

export interface ComposeService {
  readonly name: string;
  readonly image: string | undefined;
  readonly buildContext: string | undefined;
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly PortMapping[];
  /** service name -> condition */
  readonly dependsOn: Readonly<Record<string, string>>;
  /** [] when the service has no health check; ['NONE'] when it is disabled. */
  readonly healthcheck: readonly string[];
  readonly restart: string | undefined;
  readonly profiles: readonly string[];
  readonly networks: readonly string[];
  /** `source:target[:mode]` as printed. */
  readonly volumes: readonly string[];
  /** stop_grace_period in milliseconds; undefined when not set (Docker's default is 10 s). */
  readonly stopGracePeriodMs: number | undefined;
}

export interface ComposeModel {
  readonly services: Readonly<Record<string, ComposeService>>;
  /** network key -> its `name:` (the key itself when unnamed). */
  readonly networks: Readonly<Record<string, string>>;
  readonly volumes: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});
const asString = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.map((v) => String(v));
  throw new Error(`${where}: expected a string or a list, got ${JSON.stringify(value)}`);
}

function environment(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((item) => {
        const text = String(item);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asString(v) ?? '']));
  throw new Error(`${where}: environment must be a map or a list`);
}

function ports(value: unknown, where: string): PortMapping[] {
  return (Array.isArray(value) ? value : []).map((port) => {
    if (isObject(port)) {
      const published = port.published === undefined ? undefined : Number(port.published);
      return { target: Number(port.target), published };
    }
    // Short syntax `[ip:]published:target[/proto]`.
    const parts = String(port).replace(/\/\w+$/, '').split(':');
    const target = Number(parts.at(-1));
    if (!Number.isInteger(target)) throw new Error(`${where}: unreadable port ${JSON.stringify(port)}`);
    return { target, published: parts.length > 1 ? Number(parts.at(-2)) : undefined };
  });
}

function dependsOn(value: unknown): Record<string, string> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), 'service_started']));
  return Object.fromEntries(
    Object.entries(asObject(value)).map(([name, spec]) => [name, asString(asObject(spec).condition) ?? 'service_started']),
  );
}

const DURATION_UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Compose duration (`1m30s`, `500ms`, `10s`) in milliseconds. */
export function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value.trim()) {
    throw new Error(`unreadable compose duration ${JSON.stringify(value)}`);
  }
  return parts.reduce((total, p) => total + Number(p[1]) * (DURATION_UNITS[p[2] ?? ''] ?? 0), 0);
}

function service(name: string, raw: Json): ComposeService {
  const where = `compose service "${name}"`;
  const build = raw.build;
  const healthcheck = asObject(raw.healthcheck);
  return {
    name,
    image: asString(raw.image),
    buildContext: typeof build === 'string' ? build : asString(asObject(build).context),
    command: stringList(raw.command, `${where} command`),
    environment: environment(raw.environment, where),
    ports: ports(raw.ports, where),
    dependsOn: dependsOn(raw.depends_on),
    healthcheck: healthcheck.disable === true ? ['NONE'] : stringList(healthcheck.test, `${where} healthcheck`),
    restart: asString(raw.restart),
    profiles: stringList(raw.profiles, `${where} profiles`),
    networks: Array.isArray(raw.networks) ? raw.networks.map(String) : Object.keys(asObject(raw.networks)),
    volumes: (Array.isArray(raw.volumes) ? raw.volumes : []).map((v) =>
      isObject(v) ? `${asString(v.source) ?? ''}:${asString(v.target) ?? ''}` : String(v),
    ),
    stopGracePeriodMs: raw.stop_grace_period === undefined ? undefined : durationMs(String(raw.stop_grace_period)),
  };
}

/** Reads `docker-compose config` output; throws naming the problem when it is not a compose file. */
export function parseComposeConfig(yamlText: string): ComposeModel {
  const doc: unknown = parse(yamlText);
  if (!isObject(doc) || !isObject(doc.services)) {
    throw new Error('compose config: the document has no `services` map');
  }
  const services = Object.fromEntries(Object.entries(doc.services).map(([name, raw]) => [name, service(name, asObject(raw))]));
  const networks = Object.fromEntries(
    Object.entries(asObject(doc.networks)).map(([key, spec]) => [key, asString(asObject(spec).name) ?? key]),
  );
  return { services, networks, volumes: Object.keys(asObject(doc.volumes)) };
}

/** The host name and port of a `mongodb://` URI's first host, or of a bare `host:port`. */
export function hostAndPort(value: string, defaultPort: number): { host: string; port: number } {
  const withoutScheme = value.replace(/^[a-z+]+:\/\//, '');
  const authority = withoutScheme.split(/[/?]/)[0] ?? '';
  const hostPart = (authority.split('@').at(-1) ?? '').split(',')[0] ?? '';
  const [host = '', port] = hostPart.split(':');
  return { host, port: port === undefined ? defaultPort : Number(port) };
}
