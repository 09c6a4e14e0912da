// mongod's `failCommand` fail point (a test command: mongod needs `--setParameter
// enableTestCommands=1`), so that tests can make a chosen command fail with a chosen error code,
// or drop the connection, on this server and on a real one alike — e.g. a getMore failing with
// MaxTimeMSExpired halfway through a streamed export, which nothing else here can provoke.
//
//   db.admin().command({ configureFailPoint: 'failCommand', mode: { times: 1 } | 'alwaysOn' | 'off',
//     data: { failCommands: ['getMore'], errorCode: 50 } | { failCommands: ['find'], closeConnection: true } })
//
// Supported: modes alwaysOn, off, { times: n }; data failCommands, errorCode, closeConnection,
// appName. Anything else (other fail points, blockConnection, skip modes) is refused by name
// rather than ignored, so a test never believes a fault was injected when it was not.
import type { Document } from 'bson';
import { MONGO_ERROR_CODES, MongoCommandError } from '../errors.js';

/** What the server does instead of running a command the fail point matches. */
export type InjectedFault = { readonly kind: 'error'; readonly reply: Document } | { readonly kind: 'close' };

interface Armed {
  /** Remaining activations (Infinity: alwaysOn). */
  remaining: number;
  readonly commands: ReadonlySet<string>;
  readonly errorCode: number | undefined;
  readonly closeConnection: boolean;
  readonly appName: string | undefined;
}

const SUPPORTED_DATA = new Set(['failCommands', 'errorCode', 'closeConnection', 'appName']);
const CODE_NAMES = new Map<number, string>(Object.entries(MONGO_ERROR_CODES).map(([name, code]) => [code, name]));

export class FailPoints {
  private armed: Armed | undefined;

  /** The `configureFailPoint` command (run against `admin`, as mongod requires). */
  configure(command: Document, db: string): Document {
    if (db !== 'admin') throw new MongoCommandError('Unauthorized', 'configureFailPoint may only be run against the admin database.');
    const name: unknown = command.configureFailPoint;
    if (name !== 'failCommand') throw new MongoCommandError('BadValue', `configureFailPoint: mongo-test-server only has the failCommand fail point, not ${JSON.stringify(name)}`);
    const remaining = activations(command.mode);
    const count = this.armed ? 1 : 0;
    if (remaining === 0) {
      this.armed = undefined;
      return { count, ok: 1 };
    }
    const data: unknown = command.data;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new MongoCommandError('BadValue', 'configureFailPoint failCommand: data must be a document');
    const spec = data as Document;
    for (const key of Object.keys(spec)) {
      if (!SUPPORTED_DATA.has(key)) throw new MongoCommandError('BadValue', `configureFailPoint failCommand: data.${key} is not supported by mongo-test-server (supported: ${[...SUPPORTED_DATA].join(', ')})`);
    }
    const commands: unknown = spec.failCommands;
    if (!Array.isArray(commands) || commands.length === 0 || !commands.every((c) => typeof c === 'string')) {
      throw new MongoCommandError('BadValue', 'configureFailPoint failCommand: data.failCommands must be a non-empty array of command names');
    }
    const errorCode = spec.errorCode === undefined ? undefined : Number(spec.errorCode);
    const closeConnection = spec.closeConnection === true;
    if (errorCode === undefined && !closeConnection) throw new MongoCommandError('BadValue', 'configureFailPoint failCommand: data needs errorCode or closeConnection: true');
    if (errorCode !== undefined && !Number.isInteger(errorCode)) throw new MongoCommandError('BadValue', `configureFailPoint failCommand: data.errorCode must be an integer, got ${String(spec.errorCode)}`);
    const appName = typeof spec.appName === 'string' ? spec.appName : undefined;
    this.armed = { remaining, commands: new Set(commands as string[]), errorCode, closeConnection, appName };
    return { count, ok: 1 };
  }

  /**
   * The fault to inject instead of running `commandName` for a client named `appName` (the
   * driver's handshake appName, when the fail point names one), counting one activation; else
   * undefined.
   */
  intercept(commandName: string, appName: string | undefined): InjectedFault | undefined {
    const armed = this.armed;
    if (!armed || !armed.commands.has(commandName)) return undefined;
    if (armed.appName !== undefined && armed.appName !== appName) return undefined;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed = undefined;
    if (armed.closeConnection) return { kind: 'close' };
    const code = armed.errorCode as number;
    const codeName = CODE_NAMES.get(code);
    return { kind: 'error', reply: { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code, ...(codeName ? { codeName } : {}) } };
  }
}

/** The number of activations a `mode` allows (0: off). */
function activations(mode: unknown): number {
  if (mode === 'alwaysOn') return Number.POSITIVE_INFINITY;
  if (mode === 'off') return 0;
  if (mode && typeof mode === 'object' && !Array.isArray(mode)) {
    const keys = Object.keys(mode);
    const times = Number((mode as Document).times);
    if (keys.length === 1 && keys[0] === 'times' && Number.isInteger(times) && times >= 0) return times;
  }
  throw new MongoCommandError('BadValue', `configureFailPoint: mode must be 'alwaysOn', 'off' or { times: n } in mongo-test-server, got ${JSON.stringify(mode)}`);
}
