import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { silentLogger } from '@sd/logging/logger';
import { createHttpApp } from './http-app';
import { serveSinglePage } from './single-page';

describe('serveSinglePage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sd-single-page-'));
  mkdirSync(join(dir, 'assets/script'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(dir, 'assets/script/app.js'), 'console.log(1)');
  const app = createHttpApp({
    logger: silentLogger,
    routes: (app) => {
      app.get('/api/known', (_req, res) => void res.json({ ok: true }));
      serveSinglePage(app, { dir, except: ['/api'] });
    },
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the page for every route of its history-mode router, and its files from /assets', async () => {
    for (const path of ['/', '/trade/BTC-USDT', '/account/signin?ref=/trade/BTC-USDT', '/apiary']) {
      const page = await request(app).get(path).expect(200);
      expect(page.text).toContain('<title>page</title>');
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    const script = await request(app).get('/assets/script/app.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect((await request(app).get('/assets/script/missing.js').expect(404)).body).toMatchObject({ code: 'HTTP.NOT_FOUND' });
  });

  it('leaves the API to its routes and its JSON 404, and answers only GET with the page', async () => {
    await request(app).get('/api/known').expect(200, { ok: true });
    for (const path of ['/api', '/api/unknown', '/api/users/nobody']) {
      const missing = await request(app).get(path).expect(404);
      expect(missing.body).toMatchObject({ code: 'HTTP.NOT_FOUND' });
    }
    await request(app).post('/trade/BTC-USDT').expect(404);
  });
});
