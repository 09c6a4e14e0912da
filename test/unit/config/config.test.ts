import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';

describe('loadConfig', () => {
  it('reads an empty whole-number variable as its default, as it does an absent one', () => {
    const config = loadConfig({ PORT: '', RATE_LIMIT_PER_MINUTE: ' ', CACHE_MAX_ENTRIES: '' });
    expect(config).toMatchObject({ PORT: 5000, RATE_LIMIT_PER_MINUTE: 600, CACHE_MAX_ENTRIES: 500 });
    expect(loadConfig({}).PORT).toBe(5000);
  });

  it('takes whole numbers written in digits, surrounding spaces aside', () => {
    expect(loadConfig({ PORT: ' 8080 ', RATE_LIMIT_PER_MINUTE: '0' })).toMatchObject({ PORT: 8080, RATE_LIMIT_PER_MINUTE: 0 });
  });

  it('refuses other spellings of numbers, naming the variable', () => {
    for (const value of ['1e3', '0x1388', '-1', '5000.5', 'abc', '12 34']) {
      expect(() => loadConfig({ PORT: value }), value).toThrow(/PORT: must be a whole number written in digits/);
    }
  });

  it('refuses a number outside its range, naming the variable', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ QUERY_TIMEOUT_MS: '5' })).toThrow(/QUERY_TIMEOUT_MS/);
  });

  it('takes * or origins in CORS_ORIGINS and refuses an origin with a path or trailing slash, naming it', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(loadConfig({}).CORS_ORIGINS).toEqual(['*']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example,https://b.example/' })).toThrow(/CORS_ORIGINS: "https:\/\/b\.example\/" is not an origin/);
    expect(() => loadConfig({ CORS_ORIGINS: 'b.example' })).toThrow(/CORS_ORIGINS/);
  });
});
