// .cjs because this package is "type": "module" (for vite) while the shared preset is CommonJS.
module.exports = require('../../jest.preset')(__dirname);
