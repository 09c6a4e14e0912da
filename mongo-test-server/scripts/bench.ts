// Prints throughput figures of the test server through the official driver (no assertions):
// `npx tsx mongo-test-server/scripts/bench.ts [docCount]`.
import { MongoClient } from 'mongodb';
import { startMongoTestServer } from '../src/index.js';

const count = Number(process.argv[2] ?? 100_000);

// Wall time and process CPU time (client + server, both in this process): on a shared,
// oversubscribed machine the CPU figure is the more telling one.
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - start).toFixed(0).padStart(6);
  const cpuMs = ((used.user + used.system) / 1000).toFixed(0).padStart(6);
  console.log(`${label.padEnd(40)} wall ${wall} ms   cpu ${cpuMs} ms`);
  return result;
}

const server = await startMongoTestServer({ port: 0 });
const client = new MongoClient(server.uri);
try {
  const coll = client.db('bench').collection('docs');
  const docs = Array.from({ length: count }, (_, i) => ({ i, client: i % 1500, montant: (i % 997) + 0.5, produit: `P${i % 40}`, when: new Date(1_700_000_000_000 + i * 60_000) }));
  await timed(`insertMany ${count} small docs`, () => coll.insertMany(docs));
  await timed(`find all ${count}`, () => coll.find({}).toArray());
  await timed('find filter+sort+limit 100', () => coll.find({ montant: { $gt: 500 } }).sort({ when: -1 }).limit(100).toArray());
  await timed('aggregate $group by produit', () => coll.aggregate([{ $group: { _id: '$produit', ca: { $sum: '$montant' }, n: { $sum: 1 } } }, { $sort: { ca: -1 } }]).toArray());
  await timed('countDocuments with filter', () => coll.countDocuments({ client: { $lt: 100 } }));
  await timed('createIndex unique on i', () => coll.createIndex({ i: 1 }, { unique: true }));
  await timed('updateMany $inc on 10%', () => coll.updateMany({ client: { $lt: 150 } }, { $inc: { montant: 1 } }));
  await timed('1000 findOne by _id-less equality', async () => {
    for (let k = 0; k < 1000; k++) await coll.findOne({ i: k * 7 });
  });
} finally {
  await client.close();
  await server.stop();
}
