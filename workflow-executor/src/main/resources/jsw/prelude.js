// Installed once in every workflow context before the workflow module is evaluated. `host` is the only bridge to the
// platform; it stays inside this closure, so workflow code can reach it only through fetch, console, timers and api.
(function (host) {
  'use strict';
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  for (const k of ['Java', 'Packages', 'java', 'javafx', 'javax', 'com', 'org', 'edu', 'Polyglot', 'Graal', 'load', 'loadWithNewGlobal',
      'print', 'printErr', 'quit', 'exit', 'read', 'readbuffer', 'readline', 'console', 'arguments']) {
    try { delete globalThis[k]; } catch (e) { /* not configurable */ }
  }

  function show(a) {
    if (typeof a === 'string') return a;
    if (a instanceof Error) return a.stack ? String(a.stack) : String(a);
    if (a === undefined || typeof a === 'function' || typeof a === 'symbol' || typeof a === 'bigint') return String(a);
    try { const s = jsonStringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); }
  }
  const logger = (level) => (...args) => { host.log(level, args.map(show).join(' ')); };
  globalThis.console = Object.freeze({
    log: logger('info'), info: logger('info'), debug: logger('debug'), trace: logger('debug'), warn: logger('warn'), error: logger('error')
  });

  class Headers {
    constructor(init) {
      this._m = new Map();
      if (init === undefined || init === null) return;
      if (init instanceof Headers) init.forEach((v, k) => this.append(k, v));
      else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
      else for (const k of Object.keys(init)) this.append(k, init[k]);
    }
    append(k, v) { k = String(k).toLowerCase(); v = String(v); const o = this._m.get(k); this._m.set(k, o === undefined ? v : o + ', ' + v); }
    set(k, v) { this._m.set(String(k).toLowerCase(), String(v)); }
    get(k) { const v = this._m.get(String(k).toLowerCase()); return v === undefined ? null : v; }
    has(k) { return this._m.has(String(k).toLowerCase()); }
    delete(k) { this._m.delete(String(k).toLowerCase()); }
    forEach(fn, self) { for (const [k, v] of this._m) fn.call(self, v, k, this); }
    keys() { return this._m.keys(); }
    values() { return this._m.values(); }
    entries() { return this._m.entries(); }
    [Symbol.iterator]() { return this._m.entries(); }
  }

  class Response {
    constructor(r) {
      this.status = r.status;
      this.statusText = r.statusText || '';
      this.ok = r.status >= 200 && r.status < 300;
      this.url = r.url;
      this.redirected = false;
      this.type = 'basic';
      this.headers = new Headers(r.headers);
      this.bodyUsed = false;
      Object.defineProperty(this, '_body', { value: r.body === null || r.body === undefined ? '' : r.body, enumerable: false });
    }
    async text() { this.bodyUsed = true; return this._body; }
    async json() { this.bodyUsed = true; return jsonParse(this._body); }
    clone() { const c = Object.create(Response.prototype); Object.assign(c, this); Object.defineProperty(c, '_body', { value: this._body, enumerable: false }); c.headers = new Headers(this.headers); return c; }
  }

  function fetch(input, init) {
    return new Promise((resolve, reject) => {
      init = init || {};
      const url = typeof input === 'string' ? input : (input && input.url ? String(input.url) : String(input));
      const headers = [];
      new Headers(init.headers).forEach((v, k) => headers.push([k, v]));
      let body = init.body;
      if (body === undefined || body === null) body = null;
      else if (typeof body !== 'string') body = typeof body === 'object' && !(body instanceof String) ? jsonStringify(body) : String(body);
      host.fetch(jsonStringify({ url: url, method: String(init.method || 'GET').toUpperCase(), headers: headers, body: body }),
        (r) => resolve(new Response(jsonParse(r))),
        (message) => reject(new TypeError('fetch failed: ' + message)));
    });
  }

  function setTimeout(fn, ms, ...args) {
    if (typeof fn !== 'function') throw new TypeError('setTimeout needs a function');
    const id = host.setTimer(Math.max(0, Number(ms) || 0), () => fn(...args));
    if (typeof id === 'string') throw new Error(id);
    return id;
  }
  function clearTimeout(id) { if (id !== undefined && id !== null) host.clearTimer(Number(id)); }

  Object.defineProperty(globalThis, 'fetch', { value: fetch, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'Headers', { value: Headers, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'Response', { value: Response, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'setTimeout', { value: setTimeout, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'clearTimeout', { value: clearTimeout, writable: true, configurable: true });

  const api = Object.freeze({
    getOAuthToken(handle) {
      return new Promise((resolve) => host.token(handle === undefined || handle === null ? '' : String(handle),
        (token, error) => resolve(Object.freeze({ token: token === undefined ? null : token, error: error === undefined ? null : error }))));
    }
  });

  function describe(e) {
    if (e instanceof Error) {
      const name = e.name && e.name !== 'Error' ? e.name + ': ' : '';
      return name + e.message;
    }
    return 'the workflow threw a non-Error value: ' + show(e);
  }

  // runs one attempt: the result is reported through ok/fail, which the host turns into the run's outcome
  return function run(Workflow, dataJson, headersJson, ok, fail) {
    let data, headers;
    try {
      data = jsonParse(dataJson);
      headers = jsonParse(headersJson);
    } catch (e) {
      fail('the trigger record is not valid JSON: ' + e.message);
      return;
    }
    let result;
    try {
      result = new Workflow().start(data, headers, api);
    } catch (e) {
      fail(describe(e));
      return;
    }
    Promise.resolve(result).then(() => ok(), (e) => fail(describe(e)));
  };
})
