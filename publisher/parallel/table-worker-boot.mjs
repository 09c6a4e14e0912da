// Entry of the table worker when running from TypeScript sources (tsx): a worker thread does not
// inherit the parent's tsx hooks, so register them here, then load the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./table-worker.ts');
