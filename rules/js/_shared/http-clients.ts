// What the JS timeout rules know about HTTP clients: which functions are fetch, which are axios
// request methods, and the option names that bound how long a request may take.

/** `fetch` and its ponyfills: the same (url, init) signature, timed out through `init.signal`. */
export const FETCH_FUNCTIONS: ReadonlySet<string> = new Set(['fetch', 'node-fetch', 'undici.fetch', 'cross-fetch', 'isomorphic-fetch', 'node-fetch.default']);

/** axios's request functions, on the module and on an instance; `request` takes a config first. */
export const AXIOS_METHODS: ReadonlySet<string> = new Set(['get', 'delete', 'head', 'options', 'post', 'put', 'patch', 'request', 'postForm', 'putForm', 'patchForm']);
