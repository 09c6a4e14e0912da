// Public API of the wire-compatible in-memory MongoDB test server.
export { startMongoTestServer } from './server.js';
export type { MongoTestServer, MongoTestServerOptions } from './server.js';
export { MemoryStore } from './store/memory-store.js';
export { MONGO_ERROR_CODES, MongoCommandError } from './errors.js';
