// S3 test server for the integration tests: s3rver in a child process (README.md explains the
// choice). Provides the same settings a MinIO deployment would (MINIO_ENDPOINT-style
// 'host:port', keys, region), so code under test builds its client exactly as in production.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface S3TestServerInfo {
  /** 'host:port', like MINIO_ENDPOINT. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  secure: false;
  region: string;
}

export interface S3TestServer {
  readonly info: S3TestServerInfo;
  stop(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3-server-process.mjs', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/** Starts s3rver on a free port with an empty temporary data directory. */
export async function startS3TestServer(): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'gold-s3-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD_SCRIPT, directory], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let port: number;
  try {
    port = await readPort(child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const info: S3TestServerInfo = {
    endpoint: `127.0.0.1:${port}`,
    // s3rver knows one account, S3RVER; it does not verify V4 signatures, but rejects unknown key ids.
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    secure: false,
    region: 'us-east-1',
  };
  let stopped: Promise<void> | undefined;
  return {
    info,
    stop: () => (stopped ??= stopChild(child).finally(() => rm(directory, { recursive: true, force: true }))),
  };
}

function readPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`S3 test server did not start within ${START_TIMEOUT_MS} ms: ${stderr()}`)), START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      try {
        const { port } = JSON.parse(line) as { port: number };
        resolve(port);
      } catch {
        reject(new Error(`S3 test server printed "${line}" instead of its port; stderr: ${stderr()}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`S3 test server exited with code ${code} before listening: ${stderr()}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
