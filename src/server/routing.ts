// How every router of the service matches paths: exactly, as the seed's Flask routes did —
// case-sensitive, and no trailing slash. Express's defaults (`/KPIS` and `/kpis/` reach `/kpis`)
// would let a path reach a handler under a spelling that the decisions keyed on `req.path` do
// not know: the API-key guard, the rate limiter's exemptions and the security-header choice
// (found by an audit: `/KPIS` was served without a key).
export const ROUTING = Object.freeze({ caseSensitive: true, strict: true });
