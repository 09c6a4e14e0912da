import { describe, expect, test } from 'vitest';
import { durationMs, hostAndPort, parseComposeConfig } from '../../integration/deployment/lib/compose-model.js';

const YAML = `
services:
  api:
    image: gold-serving:latest
    build:
      context: /repo
    command: node dist/src/main.js
    environment:
      - PORT=5000
      - EMPTY
    ports:
      - "8080:5000"
      - published: 9000
        target: 9000
    depends_on:
      mongodb:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "node", "check.js"]
    networks:
      elt-network: null
  job:
    build: .
    depends_on: [api]
    healthcheck:
      disable: true
    stop_grace_period: 1m30s
    profiles: [tools]
    volumes:
      - type: volume
        source: data
        target: /data
networks:
  elt-network:
    name: elt-network
  plain: {}
volumes:
  data: {}
`;

describe('parseComposeConfig', () => {
  const model = parseComposeConfig(YAML);

  test('normalises short and long port syntax', () => {
    expect(model.services.api?.ports).toEqual([
      { target: 5000, published: 8080 },
      { target: 9000, published: 9000 },
    ]);
  });

  test('reads environment lists as maps and shell-form commands as words', () => {
    expect(model.services.api?.environment).toEqual({ PORT: '5000', EMPTY: '' });
    expect(model.services.api?.command).toEqual(['node', 'dist/src/main.js']);
  });

  test('reads depends_on lists as service_started and maps with their condition', () => {
    expect(model.services.api?.dependsOn).toEqual({ mongodb: 'service_healthy' });
    expect(model.services.job?.dependsOn).toEqual({ api: 'service_started' });
  });

  test('reports a disabled health check as NONE and a missing one as empty', () => {
    expect(model.services.api?.healthcheck).toEqual(['CMD', 'node', 'check.js']);
    expect(model.services.job?.healthcheck).toEqual(['NONE']);
  });

  test('reads build context, profiles, networks, volumes and network names', () => {
    expect(model.services.api?.buildContext).toBe('/repo');
    expect(model.services.job?.buildContext).toBe('.');
    expect(model.services.job?.profiles).toEqual(['tools']);
    expect(model.services.api?.networks).toEqual(['elt-network']);
    expect(model.services.job?.volumes).toEqual(['data:/data']);
    expect(model.networks).toEqual({ 'elt-network': 'elt-network', plain: 'plain' });
    expect(model.volumes).toEqual(['data']);
  });

  test('throws when the document has no services', () => {
    expect(() => parseComposeConfig('volumes: {}')).toThrow(/no `services` map/);
  });
});

describe('hostAndPort', () => {
  test('reads the first host of a MongoDB URI, with or without credentials and port', () => {
    expect(hostAndPort('mongodb://u:p@mongodb:27018/?authSource=x', 27017)).toEqual({ host: 'mongodb', port: 27018 });
    expect(hostAndPort('mongodb://a:1,b:2/db', 27017)).toEqual({ host: 'a', port: 1 });
    expect(hostAndPort('mongodb://mongodb', 27017)).toEqual({ host: 'mongodb', port: 27017 });
  });

  test('reads a bare host:port endpoint', () => {
    expect(hostAndPort('minio:9000', 443)).toEqual({ host: 'minio', port: 9000 });
  });
});

describe('durationMs', () => {
  test('reads compose durations, compound ones included', () => {
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('1h')).toBe(3_600_000);
  });

  test('rejects what it cannot read', () => {
    expect(() => durationMs('30')).toThrow(/unreadable compose duration/);
    expect(() => durationMs('10s tomorrow')).toThrow(/unreadable/);
  });

  test('is read from stop_grace_period, undefined when absent', () => {
    const model = parseComposeConfig('services:\n  a:\n    stop_grace_period: 1m30s\n  b: {}\n');
    expect(model.services.a?.stopGracePeriodMs).toBe(90_000);
    expect(model.services.b?.stopGracePeriodMs).toBeUndefined();
  });
});
