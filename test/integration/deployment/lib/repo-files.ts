// Paths and readers of the deployment files, relative to the repository root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../support/paths.js';

export { REPO_ROOT };

export const DEPLOYMENT_FILES = Object.freeze({
  compose: 'docker-compose.serving.yml',
  leastPrivilege: 'docker/compose.least-privilege.yml',
  dockerfile: 'Dockerfile',
  dockerignore: '.dockerignore',
  envExample: '.env.example',
  mongoInit: 'docker/mongo-init/10-gold-users.js',
  healthcheck: 'docker/healthcheck.js',
  metabaseDoc: 'docs/metabase.md',
  deploymentDoc: 'docs/deployment.md',
} as const);

export function readRepoFile(relative: string): string {
  return readFileSync(join(REPO_ROOT, relative), 'utf8');
}
