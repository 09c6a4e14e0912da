// Entry of the encode worker when running from TypeScript sources (tsx): a worker thread does
// not inherit the parent's tsx hooks, so register them here, then load the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./encode-worker.ts');
