import { join } from 'node:path';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';

export interface SinglePageOptions {
  /** Holds `index.html` and the folder of the page's own files. */
  dir: string;
  /** Served as they are from `dir/<assets>` at `/<assets>/*`; a missing file is a 404. Default `assets`. */
  assets?: string;
  /** Paths under these prefixes are never the page (an unknown API path stays a JSON 404). */
  except: readonly string[];
}

/**
 * A single-page app whose router runs in history mode: its files at `/assets/*`, and
 * `index.html` for every other GET, so a reload of a page route (`/trade/BTC-USDT`) gets the
 * page. Mount after the API; what it does not serve goes on to the app's 404.
 */
export function serveSinglePage(app: Application, options: SinglePageOptions): void {
  const assets = options.assets ?? 'assets';
  const index = join(options.dir, 'index.html');
  app.use(`/${assets}`, express.static(join(options.dir, assets), { index: false, maxAge: '1h' }));
  // A missing file is the app's 404, never the page.
  const except = [...options.except, `/${assets}`].map((prefix) => prefix.replace(/\/$/, ''));
  const isExcepted = (path: string): boolean => except.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isExcepted(req.path)) return next();
    // The page itself is not cached: a new build is picked up on the next load.
    res.sendFile(index, { headers: { 'cache-control': 'no-cache' } }, (error) => error && next(error));
  });
}
