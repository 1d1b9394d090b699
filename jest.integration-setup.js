// Integration suites wait on real services (group joins, container starts); Jest ignores
// `testTimeout` in project configs, so the default is raised here, hooks included.
jest.setTimeout(Number(process.env.INTEGRATION_TIMEOUT_MS ?? 60_000));
