// Where the dashboard's static files live on disk. The page source sits in web/dashboard at the
// package root and Chart.js in node_modules; both are located from this module's own path so the
// router works the same from src/ (tsx, vitest) and from dist/src/ (npm start), whatever the cwd.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors/app-error.js';
import { DASHBOARD_ERROR_CODES } from './errors.js';

export interface DashboardAssets {
  /** Folder holding index.html, styles.css and js/. */
  readonly webRoot: string;
  /** Chart.js UMD build (defines `window.Chart`), minified. */
  readonly chartJs: string;
  /** Its source map, served next to it so browser devtools do not log a 404. */
  readonly chartJsMap: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Candidate web roots: two levels up from src/dashboard, three from dist/src/dashboard. */
export function webRootCandidates(moduleDir: string = HERE): string[] {
  return [resolve(moduleDir, '../../web/dashboard'), resolve(moduleDir, '../../../web/dashboard')];
}

export function locateDashboardAssets(moduleDir: string = HERE): DashboardAssets {
  const candidates = webRootCandidates(moduleDir);
  const webRoot = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!webRoot) {
    throw new AppError(
      DASHBOARD_ERROR_CODES.DASHBOARD_ASSETS_MISSING,
      `dashboard start-up: web/dashboard/index.html not found (looked in ${candidates.join(', ')})`,
      { status: 500, details: { looked_in: candidates } },
    );
  }
  // chart.js's "exports" map hides dist/chart.umd*.js, so resolve the package entry (dist/chart.cjs)
  // and take its sibling.
  let distDir: string;
  try {
    distDir = dirname(createRequire(import.meta.url).resolve('chart.js'));
  } catch (cause) {
    throw new AppError(DASHBOARD_ERROR_CODES.DASHBOARD_ASSETS_MISSING, 'dashboard start-up: npm package chart.js is not installed', {
      status: 500,
      cause,
    });
  }
  const chartJs = join(distDir, 'chart.umd.min.js');
  if (!existsSync(chartJs)) {
    throw new AppError(DASHBOARD_ERROR_CODES.DASHBOARD_ASSETS_MISSING, `dashboard start-up: ${chartJs} not found in the chart.js package`, {
      status: 500,
      details: { file: chartJs },
    });
  }
  return { webRoot, chartJs, chartJsMap: `${chartJs}.map` };
}
