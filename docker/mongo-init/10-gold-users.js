/* global db */
// Least-privilege MongoDB users for gold-serving, created once by the mongo image's entrypoint
// (it runs /docker-entrypoint-initdb.d/*.js with mongosh, as the root user, on an EMPTY data
// volume only). Enabled by docker/compose.least-privilege.yml, which sets the variables below.
//
//   GOLD_READER_USERNAME / GOLD_READER_PASSWORD        role `read` on MONGO_DB: the API, Metabase
//   GOLD_PUBLISHER_USERNAME / GOLD_PUBLISHER_PASSWORD  role `readWrite` on MONGO_DB: the publisher
//                                                      (creates, indexes, renames, drops collections)
//
// Users live in MONGO_DB (default gold_serving), so connection strings carry
// `?authSource=<MONGO_DB>`. Without root credentials MongoDB runs without authentication and
// users would protect nothing: the script then only says so. A half-configured user (name without
// password) is an error, so the misconfiguration stops the container instead of passing silently.

function planGoldUsers(env) {
  const database = env.MONGO_DB || 'gold_serving';
  if (!env.MONGO_INITDB_ROOT_USERNAME) {
    return { skipped: 'MONGO_INITDB_ROOT_USERNAME is not set, MongoDB runs without authentication' };
  }
  const wanted = [
    { prefix: 'GOLD_READER', role: 'read' },
    { prefix: 'GOLD_PUBLISHER', role: 'readWrite' },
  ];
  const users = [];
  for (const { prefix, role } of wanted) {
    const user = env[`${prefix}_USERNAME`];
    const pwd = env[`${prefix}_PASSWORD`];
    if (!user && !pwd) continue;
    if (!user || !pwd) {
      throw new Error(`mongo-init 10-gold-users: ${prefix}_USERNAME and ${prefix}_PASSWORD must be set together`);
    }
    users.push({ user, pwd, roles: [{ role, db: database }] });
  }
  if (users.length === 2 && users[0].user === users[1].user) {
    throw new Error(`mongo-init 10-gold-users: reader and publisher must be different users (both "${users[0].user}")`);
  }
  if (users.length === 0) {
    return { skipped: 'no GOLD_READER_* or GOLD_PUBLISHER_* credentials are set' };
  }
  return { database, users };
}

const plan = planGoldUsers(process.env);
if (plan.skipped) {
  console.log(`mongo-init 10-gold-users: skipped, ${plan.skipped}`);
} else {
  const target = db.getSiblingDB(plan.database);
  for (const { user, pwd, roles } of plan.users) {
    target.createUser({ user, pwd, roles });
    console.log(`mongo-init 10-gold-users: created user "${user}" with role ${roles[0].role} on ${plan.database}`);
  }
}
