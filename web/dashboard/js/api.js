/* global fetch, document, AbortController, setTimeout, clearTimeout */
// The only way the page talks to the server: GET a public JSON endpoint by relative URL.

const TIMEOUT_MS = 15000;

/** A failed request, with a French message fit for the page. */
export class ApiError extends Error {
  constructor(message, { path, status = null, code = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.path = path;
    this.status = status;
    this.code = code;
  }

  /** The server could not be reached at all (network error or timeout). */
  get unreachable() {
    return this.status === null;
  }
}

function describeHttpError(path, status, body) {
  const detail = body && typeof body.error === 'string' ? body.error : null;
  if (status === 503) return `Données indisponibles (${path} : ${detail ?? 'service indisponible'}).`;
  if (status === 401 || status === 403) return `Accès refusé par l'API (${path} : clé API requise ?).`;
  if (status === 404) return `Ressource absente (${path}${detail ? ` : ${detail}` : ''}).`;
  return `Erreur ${status} de l'API sur ${path}${detail ? ` : ${detail}` : ''}.`;
}

/**
 * Fetches `path` (relative to the page, e.g. `kpis` or `scores?limit=10`) and returns the parsed
 * JSON body. Throws ApiError on network failure, timeout, a non-2xx status or a non-JSON body.
 */
export async function getJson(path) {
  const url = new URL(path, document.baseURI);
  const shown = `/${path}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal: controller.signal });
  } catch (error) {
    const reason = error && error.name === 'AbortError' ? `pas de réponse après ${TIMEOUT_MS / 1000} s` : 'serveur injoignable';
    throw new ApiError(`API injoignable (${shown} : ${reason}).`, { path });
  } finally {
    clearTimeout(timer);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(describeHttpError(shown, response.status, body), {
      path,
      status: response.status,
      code: body && typeof body.code === 'string' ? body.code : null,
    });
  }
  if (body === null || typeof body !== 'object') {
    throw new ApiError(`Réponse illisible de l'API sur ${shown} (JSON attendu).`, { path, status: response.status });
  }
  return body;
}

/** Rows of a list endpoint (`{ data: [...], meta }`), validated to be an array. */
export async function getList(path) {
  const body = await getJson(path);
  if (!Array.isArray(body.data)) {
    throw new ApiError(`Réponse inattendue de l'API sur /${path} (liste « data » absente).`, { path });
  }
  return { rows: body.data, meta: body.meta ?? {} };
}
