import { defineConfig } from '@playwright/test';
import { readRunInfo } from './support/run-info';

// One server for the whole run (started in global-setup.ts on a free port with a fresh
// database). Every spec runs twice: hydrated, and with JavaScript disabled, because every page
// must work both ways.
const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  use: {
    baseURL: readRunInfo()?.baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/, use: { ...chromium } },
    {
      name: 'hydrated',
      testMatch: /.*\.spec\.ts/,
      dependencies: ['setup'],
      use: { ...chromium, javaScriptEnabled: true },
    },
    {
      name: 'no-javascript',
      testMatch: /.*\.spec\.ts/,
      // *.js.spec.ts test what only JavaScript adds (instant validation).
      testIgnore: /.*\.js\.spec\.ts/,
      dependencies: ['hydrated'],
      use: { ...chromium, javaScriptEnabled: false },
    },
  ],
});
