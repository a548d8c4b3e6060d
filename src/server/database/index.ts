/** The server's SQLite database: opening it, and the migrations its tables run. */
export {
  DATABASE_FILE,
  openDatabase,
  openDatabaseReadOnly,
  type ServerDatabase,
} from './database.js';
export { migrate } from './migrations.js';
