// Header values shared by the cached responders.
export const JSON_TYPE = 'application/json; charset=utf-8';
/** Clients may keep a copy but must revalidate: a publish can land at any time. */
export const CACHE_CONTROL = 'public, max-age=0, must-revalidate';
