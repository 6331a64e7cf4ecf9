/* global self, caches, fetch, Response */
// The driver view's service worker: keeps the page, its assets and its font, so the view opens
// with no network (the page keeps the day's manifests itself). The page: network first, the
// cached copy when offline. Hashed assets and font files never change: cache first. API calls
// are not touched: the page queues its events and sends them when back online.
const CACHE = 'gongpei-driver-v1';

/** The page and everything it links (hashed script and style, font stylesheets). */
async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch('/driver');
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put('/driver', res);
  await cache.addAll([...html.matchAll(/(?:src|href)="(\/(?:assets|vendor\/fonts)\/[^"]+)"/g)].map((m) => m[1]));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(key ?? request, res.clone());
    return res;
  } catch {
    const hit = await cache.match(key ?? request);
    return hit ?? new Response('offline', { status: 503, headers: { 'content-type': 'text/plain' } });
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === '/driver') event.respondWith(networkFirst(request, '/driver'));
  else if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/vendor/fonts/')) event.respondWith(cacheFirst(request));
});
