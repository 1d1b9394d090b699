// `pnpm test:faults`: the exchange under faults (a full disk, dependencies that stop and
// return, hostile clients). FAULTS=full runs every case at full length; the default is the
// quick variant CI runs.
const path = require('node:path');
const preset = require('../../../../jest.preset')(path.resolve(__dirname, '../..'), { services: ['postgres', 'redis', 'kafka', 'mongo'] });
const integration = preset.projects[1];

module.exports = { ...integration, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'], globalSetup: undefined, globalTeardown: undefined };
