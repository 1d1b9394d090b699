// inversify and typeorm read decorator metadata through the Reflect polyfill.
require('reflect-metadata');
