// The cache lanes' access lines are written without pino's serializer: they must be exactly the
// lines pino writes for the same call (apart from the millisecond they were written).
import { describe, expect, it } from 'vitest';
import { createAccessLine } from '../../../src/logging/access-line.js';
import { createBlockWriter } from '../../../src/logging/block-writer.js';
import { blockDestination, createLogger } from '../../../src/logging/logger.js';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } }).child({ module: 'api' });
  return { logger, lines };
}

/** A logger on the API's block destination, its blocks written to memory (a fake sink). */
function captureBlocks(blockSize: number, level = 'info') {
  const written: Buffer[] = [];
  const writer = createBlockWriter({ blockSize, sink: { writeSync: (data) => written.push(Buffer.from(data)) && data.length } });
  const logger = createLogger({ level, destination: blockDestination(writer) }).child({ module: 'api' });
  const lines = () => {
    writer.flush();
    return Buffer.concat(written).toString('utf8').split('\n').slice(0, -1).map((line) => `${line}\n`);
  };
  return { logger, lines, written };
}

const sameMillisecond = (line: string) => line.replace(/"time":\d+/, '"time":0');

const CASES = [
  ['3f9c0a1b2c3d4e5f-1a', 'GET', '/kpis', 200],
  ['3f9c0a1b2c3d4e5f-1b', 'GET', '/kpis', 200],
  ['client.id:7', 'GET', '/monthly?limit=5&sort=ca:desc', 304],
  ['x', 'GET', '/scores?pays=C%C3%B4te%20"d\'Ivoire"\\x\u00e9\u4e2d\ud83d\ude00', 200],
  ['y', 'GET', `/a${'b'.repeat(150)}`, 200],
  ['caf\u00e9-\u4e2d', 'GET', '/kpis', 200],
  ['z', 'HEAD', '/kpis', 200],
] as const;

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

  it('encodes the same lines into the block destination, across block boundaries and past the block size', () => {
    const { logger, lines, written } = captureBlocks(1024);
    const accessLine = createAccessLine(logger, 'request completed (front cache)');
    const cases = [...CASES, ['long', 'GET', `/scores?segment=${'x'.repeat(3000)}`, 200] as const];
    for (let round = 0; round < 3; round++) {
      for (const [id, method, url, status] of cases) {
        logger.info({ req: { id, method, url }, res: { statusCode: status } }, 'request completed (front cache)');
        accessLine(id, method, url, status);
      }
    }
    const all = lines();
    expect(all).toHaveLength(cases.length * 3 * 2);
    for (let i = 0; i < all.length; i += 2) expect(sameMillisecond(all[i + 1]!)).toBe(sameMillisecond(all[i]!));
    // Many blocks went out; the only ones larger than the block are the long line's, alone (pino's and ours, each round).
    expect(written.length).toBeGreaterThan(6);
    expect(written.filter((block) => block.length > 1024)).toHaveLength(6);
  });

  it('keeps writing correct lines after the kept line ends overflow their bound', () => {
    const { logger, lines } = captureBlocks(64 * 1024);
    const accessLine = createAccessLine(logger, 'm');
    for (let i = 0; i < 2500; i++) accessLine(`id-${i}`, 'GET', `/daily?offset=${i % 1500}`, i % 2 === 0 ? 200 : 304);
    const parsed = lines().map((line) => JSON.parse(line) as { req: { id: string; url: string }; res: { statusCode: number } });
    expect(parsed).toHaveLength(2500);
    parsed.forEach((line, i) => expect(line).toMatchObject({ req: { id: `id-${i}`, url: `/daily?offset=${i % 1500}` }, res: { statusCode: i % 2 === 0 ? 200 : 304 } }));
  });

  it('writes nothing into the block when the level is above info', () => {
    const { logger, lines } = captureBlocks(1024, 'warn');
    createAccessLine(logger, 'm')('id', 'GET', '/kpis', 200);
    expect(lines()).toEqual([]);
  });
});
