/** The server's SQLite database: opening it, its handle, and the migrations its tables run. */
export { DATABASE_FILE, openDatabase, openDatabaseReadOnly } from './database.js';
export { migrate } from './migrations.js';
export { ServerDatabase, type SqlParameters, type Statement } from './server-database.js';
export { MIN_NODE, unsupportedNode } from './supported-node.js';
