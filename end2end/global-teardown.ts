/*
 * After the run: drop the copy of the compiled site (megabytes of wasm) from
 * the run's temporary folder. The database, the letters and the server log
 * stay there for a look after a failure.
 */
import fs from 'node:fs';
import path from 'node:path';

export default function globalTeardown() {
  const runDir = process.env.PORTAL_E2E_RUN_DIR;
  if (runDir) fs.rmSync(path.join(runDir, 'site'), { recursive: true, force: true });
}
