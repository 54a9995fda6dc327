// Preloaded into a bench server (`node --import ./bench/lib/count-queries.js ...`, plain
// JavaScript so it also runs ahead of the compiled dist/): counts the statements the process
// sends to each database, and the HTTP requests it serves, with no change to Steeple. better-sqlite3 statements (get, all, run,
// iterate) and exec calls count per database file; pg queries per database name. The bench
// asks over the IPC channel (`{ countQueries: true }`) and gets `{ queryCounts: { name: n } }`.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../package.json', import.meta.url));
const counts = new Map();
const count = (name) => counts.set(name, (counts.get(name) ?? 0) + 1);

const Database = require('better-sqlite3');
const probe = new Database(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('select 1'));
probe.close();
for (const method of ['get', 'all', 'run', 'iterate']) {
  const original = Statement[method];
  Statement[method] = function (...args) {
    count(this.database.name);
    return original.apply(this, args);
  };
}
const exec = Database.prototype.exec;
Database.prototype.exec = function (...args) {
  count(this.name);
  return exec.apply(this, args);
};

const pg = require('pg');
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  count(`pg:${this.connectionParameters.database}`);
  return query.apply(this, args);
};

// HTTP requests the server began, per path (no query string): the denominator of "statements per
// request". autocannon's own count leaves out the requests in flight when a round stops, whose
// statements were counted all the same.
const http = require('node:http');
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, ...rest) {
  if (event === 'request') count(`http:${req.url.split('?')[0]}`);
  return emit.call(this, event, req, ...rest);
};

if (process.send) {
  process.on('message', (m) => {
    if (m?.countQueries) process.send({ queryCounts: Object.fromEntries(counts) });
  });
  // The channel must not keep a server that is shutting down alive.
  process.channel?.unref();
}
