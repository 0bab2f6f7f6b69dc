// The module-level request functions of requests and httpx (`requests.get(...)`, `httpx.stream(...)`):
// each builds a throw-away Session/Client for the one call.

/** The HTTP verbs both libraries export as module-level functions, plus their generic `request`. */
export const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'] as const;

/** `requests.get`, `requests.post`, … `requests.request`. */
export const REQUESTS_FUNCTIONS: readonly string[] = HTTP_VERBS.map((v) => `requests.${v}`);

/** `httpx.get`, … `httpx.request`, and `httpx.stream` (which requests has no counterpart of). */
export const HTTPX_FUNCTIONS: readonly string[] = [...HTTP_VERBS, 'stream'].map((v) => `httpx.${v}`);
