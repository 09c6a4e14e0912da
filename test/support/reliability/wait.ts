// Polling helpers with explicit deadlines (nothing in the suite waits unboundedly).

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `intervalMs` until it returns true; resolves to the elapsed ms, or rejects at the deadline. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number> {
  const started = performance.now();
  for (;;) {
    let ok: boolean;
    try {
      ok = await probe();
    } catch {
      ok = false;
    }
    if (ok) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export async function getStatus(url: string, timeoutMs = 5_000, headers?: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}
