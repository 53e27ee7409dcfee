import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInfoPath, type RunInfo } from './support/run-info';

const repo = path.join(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the test identity provider (npm oidc-provider, idp/test-idp.mjs) on `port`. */
async function startIdentityProvider(port: number, redirectUri: string, workDir: string) {
  const idp = spawn(process.execPath, [path.join(__dirname, 'idp', 'test-idp.mjs'), String(port)], {
    env: { ...process.env, PORTICO_REDIRECT_URI: redirectUri, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(workDir, 'idp.log'));
  idp.stderr.pipe(log);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the test identity provider did not start in 15 s')), 15_000);
    idp.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    idp.on('exit', (code) => reject(new Error(`the test identity provider exited with ${code}`)));
  });
  idp.stdout.resume();
  idp.unref();
  return idp;
}

/** Starts the release server on a free port with a fresh SQLite database and mail folder. */
export default async function globalSetup() {
  const binary = path.join(repo, 'target', 'release', 'server');
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: run "make test" (it builds it)`);
  const port = await freePort();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const mailDir = path.join(workDir, 'mail');
  const idpPort = await freePort();
  const idp = await startIdentityProvider(idpPort, `${baseURL}/api/federation_callback`, workDir);
  const server = spawn(binary, [], {
    cwd: repo,
    env: {
      ...process.env,
      PORTICO_ADDR: `127.0.0.1:${port}`,
      PORTICO_PUBLIC_URL: baseURL,
      DATABASE_URL: `sqlite://${path.join(workDir, 'portico.db')}`,
      PORTICO_MAIL_DIR: mailDir,
      PORTICO_SITE_ROOT: path.join(repo, 'target', 'site'),
      PORTICO_LOG: 'warn',
      // Both projects sign in many times from 127.0.0.1; 429s are covered by the Rust tests.
      PORTICO_SIGN_IN_LIMIT_PER_MINUTE: '1000',
      PORTICO_FORM_LIMIT_PER_MINUTE: '1000',
      // Every test asks for its codes from 127.0.0.1.
      PORTICO_CODES_PER_CLIENT_PER_HOUR: '100000',
      PORTICO_SECRET_KEY: 'end-to-end-secret-key-for-one-time-codes-0123',
      PORTICO_NAME: 'Acme Partners',
      // The test identity provider runs on plain http on 127.0.0.1.
      PORTICO_ALLOW_HTTP_LOOPBACK_ISSUERS: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(workDir, 'server.log'));
  server.stderr.pipe(log);

  const setupLink = await new Promise<string>((resolve, reject) => {
    let printed = '';
    const timer = setTimeout(() => reject(new Error(`no setup link printed in 30 s:\n${printed}`)), 30_000);
    server.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      log.write(chunk);
      const match = printed.match(/(http:\/\/\S+\/setup\/[A-Za-z0-9_-]{43})/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${printed}`)));
  });
  server.stdout.resume();

  for (let i = 0; i < 100; i++) {
    try {
      const health = await fetch(`${baseURL}/healthz`);
      if (health.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const info: RunInfo = {
    baseURL,
    setupLink,
    mailDir,
    pid: server.pid ?? 0,
    workDir,
    idpIssuer: `http://127.0.0.1:${idpPort}`,
    idpPid: idp.pid ?? 0,
  };
  fs.mkdirSync(path.dirname(runInfoPath), { recursive: true });
  fs.writeFileSync(runInfoPath, JSON.stringify(info, null, 2));
  process.env.PLAYWRIGHT_BASE_URL = baseURL;
  server.unref();
}
