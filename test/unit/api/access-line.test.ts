// The cache lanes' access lines are written without pino's serializer: they must be exactly the
// lines pino writes for the same call (apart from the millisecond they were written).
import { describe, expect, it } from 'vitest';
import { createAccessLine } from '../../../src/logging/access-line.js';
import { createLogger } from '../../../src/logging/logger.js';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } }).child({ module: 'api' });
  return { logger, lines };
}

const sameMillisecond = (line: string) => line.replace(/"time":\d+/, '"time":0');

describe('createAccessLine', () => {
  it('writes the line pino writes for logger.info({ req, res }, msg), URL escaping included', () => {
    const { logger, lines } = capture();
    const accessLine = createAccessLine(logger, 'request completed (front cache)');
    for (const [id, url, status] of [
      ['3f9c0a1b2c3d4e5f-1a', '/kpis', 200],
      ['client.id:7', '/monthly?limit=5&sort=ca:desc', 304],
      ['x', '/scores?pays=C%C3%B4te%20"d\'Ivoire"\\x', 200],
      ['y', `/a${'b'.repeat(150)}`, 200],
    ] as const) {
      lines.length = 0;
      logger.info({ req: { id, method: 'GET', url }, res: { statusCode: status } }, 'request completed (front cache)');
      accessLine(id, 'GET', url, status);
      expect(lines).toHaveLength(2);
      expect(sameMillisecond(lines[1]!)).toBe(sameMillisecond(lines[0]!));
      expect(JSON.parse(lines[1]!)).toMatchObject({ level: 30, module: 'api', name: 'gold-serving', req: { id, url }, res: { statusCode: status } });
    }
  });

  it('writes nothing when the level is above info', () => {
    const { logger, lines } = capture('warn');
    createAccessLine(logger, 'request completed (front cache)')('id', 'GET', '/kpis', 200);
    expect(lines).toEqual([]);
    logger.level = 'info';
    createAccessLine(logger, 'm')('id', 'GET', '/kpis', 200);
    expect(lines).toHaveLength(1);
  });
});
