import { describe, expect, it } from 'vitest';
import { timeLimit } from '../../src/commands/command-context.js';
import { FailPoints } from '../../src/commands/fail-points.js';

describe('timeLimit', () => {
  const clock = (times: number[]) => () => times.shift() ?? Number.NaN;

  it('throws MaxTimeMSExpired (50) when the work took longer than maxTimeMS', () => {
    const check = timeLimit({ find: 'c', maxTimeMS: 5 }, 'find', clock([100, 106]));
    expect(check).toThrow(expect.objectContaining({ code: 50, codeName: 'MaxTimeMSExpired' }));
  });

  it('passes work that finished within maxTimeMS, and never limits without one or with 0', () => {
    expect(timeLimit({ find: 'c', maxTimeMS: 5 }, 'find', clock([100, 105]))).not.toThrow();
    expect(timeLimit({ find: 'c' }, 'find', clock([0, 1e9]))).not.toThrow();
    expect(timeLimit({ find: 'c', maxTimeMS: 0 }, 'find', clock([0, 1e9]))).not.toThrow();
  });

  it('rejects a negative maxTimeMS naming the command and field', () => {
    expect(() => timeLimit({ find: 'c', maxTimeMS: -1 }, 'find')).toThrow(/find\.maxTimeMS/);
  });
});

describe('FailPoints', () => {
  const arm = (points: FailPoints, mode: unknown, data: object) => points.configure({ configureFailPoint: 'failCommand', mode, data }, 'admin');

  it('answers the named command with the error code, counting down `times`', () => {
    const points = new FailPoints();
    arm(points, { times: 2 }, { failCommands: ['find'], errorCode: 50 });
    expect(points.intercept('insert', undefined)).toBeUndefined();
    expect(points.intercept('find', undefined)).toEqual({ kind: 'error', reply: { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code: 50, codeName: 'MaxTimeMSExpired' } });
    expect(points.intercept('find', undefined)?.kind).toBe('error');
    expect(points.intercept('find', undefined)).toBeUndefined();
  });

  it('applies only to the named client when it names an appName', () => {
    const points = new FailPoints();
    arm(points, 'alwaysOn', { failCommands: ['getMore'], closeConnection: true, appName: 'me' });
    expect(points.intercept('getMore', 'someone else')).toBeUndefined();
    expect(points.intercept('getMore', undefined)).toBeUndefined();
    expect(points.intercept('getMore', 'me')).toEqual({ kind: 'close' });
    expect(points.intercept('getMore', 'me')).toEqual({ kind: 'close' });
    points.configure({ configureFailPoint: 'failCommand', mode: 'off' }, 'admin');
    expect(points.intercept('getMore', 'me')).toBeUndefined();
  });

  it('refuses what it does not support by name instead of ignoring it', () => {
    const points = new FailPoints();
    expect(() => points.configure({ configureFailPoint: 'maxTimeAlwaysTimeOut', mode: 'alwaysOn' }, 'admin')).toThrow(/only has the failCommand fail point/);
    expect(() => arm(points, 'alwaysOn', { failCommands: ['find'], blockConnection: true, blockTimeMS: 100 })).toThrow(/data\.blockConnection is not supported/);
    expect(() => arm(points, { skip: 1 }, { failCommands: ['find'], errorCode: 2 })).toThrow(/mode must be/);
    expect(() => arm(points, 'alwaysOn', { failCommands: [], errorCode: 2 })).toThrow(/failCommands must be a non-empty array/);
    expect(() => arm(points, 'alwaysOn', { failCommands: ['find'] })).toThrow(/errorCode or closeConnection/);
    expect(() => points.configure({ configureFailPoint: 'failCommand', mode: 'off' }, 'gold')).toThrow(/admin database/);
  });
});
