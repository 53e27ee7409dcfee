import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runInfo } from './run-info';

/** A free port on 127.0.0.1 (for a sample app, whose addresses are registered before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the sample relying party (rp/sample-app.mjs, npm openid-client) for a registered app;
 * an empty secret makes it a public client. Stop it with `kill()`.
 */
export async function startSampleApp(port: number, clientId: string, secret: string): Promise<ChildProcess> {
  const app = spawn(process.execPath, [path.join(__dirname, '..', 'rp', 'sample-app.mjs')], {
    env: { ...process.env, PORTICO_ISSUER: runInfo().baseURL, CLIENT_ID: clientId, CLIENT_SECRET: secret, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(runInfo().workDir, `sample-app-${port}.log`));
  app.stderr?.pipe(log);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sample app did not start in 15 s')), 15_000);
    app.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    app.on('exit', (code) => reject(new Error(`the sample app exited with ${code}; see sample-app-${port}.log`)));
  });
  return app;
}
