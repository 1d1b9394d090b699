// Jest ignores `testTimeout` in project configs, so each project's default (hooks included)
// arrives as the global `testTimeoutMs` and is set here.
jest.setTimeout(testTimeoutMs);
