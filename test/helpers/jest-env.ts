// Every test file: quiet logs unless asked, and generous timeouts for the shared 2-core machines.
process.env.LOG_LEVEL ??= 'silent';
jest.setTimeout(60_000);
