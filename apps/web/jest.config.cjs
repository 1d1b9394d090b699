// .cjs because this package is "type": "module" (for vite) while the shared preset is CommonJS.
const config = require('../../jest.preset')(__dirname);

// apps/exchange declares no package "exports" yet: '@sd/app-exchange/<file>' is its built dist/<file>.
for (const project of config.projects) project.moduleNameMapper = { '^@sd/app-exchange/(.*)$': '<rootDir>/node_modules/@sd/app-exchange/dist/$1' };

module.exports = config;
