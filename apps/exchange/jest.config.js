const config = require('../../jest.preset')(__dirname, { services: ['postgres', 'redis', 'kafka', 'mongo'] });

// ccxt's CommonJS build (the compatibility spec) requires @noble and @scure packages that ship
// ESM only; Jest's CommonJS sandbox loads them once transformed, as the preset does for inversify.
for (const project of config.projects) {
  project.transformIgnorePatterns = project.transformIgnorePatterns.map((pattern) => pattern.replace('(inversify|', '(@noble|@scure|inversify|'));
}
module.exports = config;
