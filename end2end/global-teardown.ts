import * as fs from 'node:fs';
import { readRunInfo, runInfoPath } from './support/run-info';

/** Stops the server (SIGTERM: it shuts down gracefully) and removes its files. */
export default async function globalTeardown() {
  const info = readRunInfo();
  if (!info) return;
  for (const pid of [info.pid, info.idpPid]) {
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(info.pid, 0);
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      break;
    }
  }
  if (!process.env.PORTICO_KEEP_E2E_FILES) fs.rmSync(info.workDir, { recursive: true, force: true });
  fs.rmSync(runInfoPath, { force: true });
}
