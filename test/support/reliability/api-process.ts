// The API as a child process (src/main.ts), the production entry point with its own MongoClient
// options, bound to loopback on a free port. Peak RSS is sampled while it runs.
import type { ChildProcess } from 'node:child_process';
import { spawnNode, readRssMb } from './child.js';
import { API_MAIN } from './paths.js';
import { freePort } from '../../../tools/demo/embedded-mongo.js';

export { freePort };

export interface ApiProcess {
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  /** Last lines the process wrote (for failure messages). */
  output(): string;
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function startApi(env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawnNode(API_MAIN, {
    env: { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', ...env },
  });
  let out = '';
  const keep = (d: Buffer | string): void => {
    out = (out + String(d)).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitInfo: string | undefined;
  child.on('exit', (code, signal) => (exitInfo = `exited code=${code} signal=${signal}`));
  let peak = 0;
  const pid = child.pid ?? -1;
  const sampler = setInterval(() => {
    void readRssMb(pid).then((mb) => {
      if (mb !== undefined) peak = Math.max(peak, mb);
    });
  }, 100);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    clearInterval(sampler);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitInfo) throw new Error(`API child ${exitInfo} before answering /livez:\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/livez`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`API child did not answer /livez within ${readyTimeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, port, pid, output: () => out, peakRssMb: () => peak, stop };
}
