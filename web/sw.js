// Pingan (平安) service worker: keeps the UI's own files so that the page
// loads without network (the grid worker's 上报事件 page, web/report.js).
// Network first: a file fetched while online replaces the kept copy, so a
// new release is picked up on the next online load; offline, the kept copy
// (and index.html for any page of the app) is served. The API (/api/) is
// never touched: data is never served from a cache.
'use strict';

const CACHE = 'pingan-ui-v1';
const SHELL = [
  '/',
  '/index.html',
  '/app.css',
  '/app.js',
  '/map.js',
  '/typefields.js',
  '/registry.js',
  '/groups.js',
  '/places.js',
  '/events.js',
  '/report.js',
  '/public.js',
  '/zero.css',
  '/zero.js',
];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  e.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok && res.type === 'basic') {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(async () => {
        const kept = await caches.match(req, { ignoreSearch: true });
        if (kept) return kept;
        if (req.mode === 'navigate') return (await caches.match('/index.html')) || Response.error();
        return Response.error();
      })
  );
});
