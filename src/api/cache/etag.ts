// Strong ETags derived from (data version, route, canonical query): computable before any data
// is read, so a matching If-None-Match is answered with 304 without touching MongoDB.
import { createHash } from 'node:crypto';

export function computeEtag(version: string, route: string, cacheKey: string): string {
  const digest = createHash('sha1').update(`${version}\u0000${route}\u0000${cacheKey}`).digest('base64url');
  return `"${digest}"`;
}

/** RFC 9110 If-None-Match: a list of entity tags (weak comparison) or `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}
