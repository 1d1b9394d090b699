import { dirname } from 'node:path';
import express, { type Application } from 'express';

/**
 * A browsable page of an OpenAPI document: Swagger UI's own build (swagger-ui-dist) served
 * from this app, so it works offline and loads nothing from elsewhere.
 */
export function serveApiDocs(app: Application, options: { path: string; documentUrl: string }): void {
  const root = dirname(require.resolve('swagger-ui-dist/package.json'));
  const initializer = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(options.documentUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;
  app.get(`${options.path}/swagger-initializer.js`, (_req, res) => void res.type('text/javascript').send(initializer));
  app.use(options.path, express.static(root, { index: 'index.html', maxAge: '1h' }));
}
