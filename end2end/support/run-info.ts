import * as fs from 'node:fs';
import * as path from 'node:path';

/** What global setup learned about the server it started. */
export interface RunInfo {
  baseURL: string;
  setupLink: string;
  mailDir: string;
  pid: number;
  workDir: string;
  /** The test identity provider (oidc-provider) and its process. */
  idpIssuer: string;
  idpPid: number;
}

export const runInfoPath = path.join(__dirname, '..', '.run', 'server.json');

export function readRunInfo(): RunInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(runInfoPath, 'utf8')) as RunInfo;
  } catch {
    return undefined;
  }
}

export function runInfo(): RunInfo {
  const info = readRunInfo();
  if (!info) throw new Error(`no server info at ${runInfoPath}: global setup did not run`);
  return info;
}
