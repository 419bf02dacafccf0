// Browser test: photos on the grid worker's 上报事件 page (issue 5, "A grid
// worker's phone view: report with photo and GPS, works offline"). The
// worker takes a photo (a tiny real PNG file written by the test), sees its
// thumbnail, reports; the photo is uploaded, named by the report and shown
// on the dispatcher's event page on the timeline entry it came with, opening
// the full image. A large photo is made smaller in the browser before it is
// sent. Offline, the photo waits in IndexedDB with the queued report; back
// online it is uploaded and the report sent — and when an upload's answer
// is lost, the upload again gets the same id and the report the same key:
// exactly one event with exactly one photo. Nothing here sleeps.
//
// Run from the repo root: node --test tests/e2e/09-photos.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, goHash, phoneOverflows, deskAndPhone, finish } from '../lib/browser.mjs';
import { startServer, microGridPoint, checkedApi } from '../lib/server.mjs';
import { png, jpeg, pngOfSize } from '../lib/images.mjs';

const GRID = '411624001200001'; // 于庄村第1网格
const WORKER = `g${GRID}`;
const sha = (b) => createHash('sha256').update(b).digest('hex');

let server;
let browser;
let desk;
let phone;
let phoneCtx;
let admin;
let files; // a temp directory for the photos the "camera" takes
const pageErrors = [];

before(async () => {
  server = await startServer({ demo: true, env: { PINGAN_SESSION_IDLE: '86400', PINGAN_SWEEP_SECONDS: '0' } });
  admin = await server.login('admin');
  const { point } = await microGridPoint(assert, server, admin, GRID);
  files = mkdtempSync(path.join(tmpdir(), 'pingan-photos-'));

  browser = await launchBrowser();
  ({ desk, phone, phoneCtx } = await deskAndPhone(browser, server, { deskUser: 'dispatcher', worker: WORKER, point, errors: pageErrors }));
});

after(async () => {
  if (files) rmSync(files, { recursive: true, force: true });
  await finish(assert, { browser, server, errors: pageErrors });
});

const api = (...args) => checkedApi(assert, server)(...args);
const eventsLike = async (text) =>
  (await api('GET', '/api/v1/events?status=reported,registered,dispatched,accepted,handled,closed,evaluated&limit=200', admin)).items.filter((e) => e.description === text);
const photoFile = (name, bytes) => {
  const p = path.join(files, name);
  writeFileSync(p, bytes);
  return p;
};
// The photos IndexedDB keeps for a queued report (its key): how many.
const keptPhotos = (page, key) =>
  page.evaluate(
    (k) =>
      new Promise((resolve, reject) => {
        const rq = indexedDB.open('pingan-outbox', 1);
        rq.onerror = () => reject(rq.error);
        rq.onsuccess = () => {
          const get = rq.result.transaction('photos').objectStore('photos').get(k);
          get.onsuccess = () => {
            const v = get.result;
            rq.result.close();
            resolve(Array.isArray(v) ? v.filter((b) => b instanceof Blob && b.size > 0).length : 0);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key
  );
const loaded = (img) => img.evaluate((x) => (x.complete ? x.naturalWidth : new Promise((r) => x.addEventListener('load', () => r(x.naturalWidth), { once: true }))));

test('a grid worker reports with a photo; the dispatcher sees it on the report\'s timeline entry and opens it', async () => {
  const text = '于庄村东头垃圾堆积（附照片）';
  const bytes = png(77);
  await goHash(phone, '#/report');
  await phone.getByLabel('事件描述').fill(text);
  await phone.locator('#rp-album').setInputFiles(photoFile('现场.png', bytes));
  const thumb = phone.locator('#rp-photos img');
  await thumb.waitFor();
  assert.equal(await loaded(thumb), 1, 'the thumbnail shows the photo');
  assert.match(await phone.locator('#rp-photo-note').textContent(), /已选 1 张/);
  await phone.locator('#rp-locate').click();
  await phone.locator('#rp-where[data-state="gps"]').waitFor();
  await phone.getByRole('button', { name: '提交上报' }).click();
  await phone.locator('#report-notice[data-state="sent"]').waitFor();
  assert.equal(await phone.locator('#rp-photos img').count(), 0, 'the form is empty for the next report');

  const [made] = await eventsLike(text);
  const e = await api('GET', `/api/v1/events/${made.id}`, admin);
  assert.equal(e.attachments.length, 1);
  assert.equal(e.attachments[0].sha256, sha(bytes), 'a small photo is sent as it is');
  assert.deepEqual(e.timeline[0].attachments.map((a) => a.id), [e.attachments[0].id]);

  await goHash(desk, `#/events/${e.id}`);
  await desk.locator(`.event-card[data-id="${e.id}"]`).waitFor();
  const img = desk.locator(`#event-timeline .timeline-item[data-action="report"] li[data-attachment="${e.attachments[0].id}"] img`);
  await img.waitFor();
  assert.equal(await loaded(img), 1, 'the dispatcher\'s browser loads the photo');
  assert.equal(await desk.locator('#event-timeline .timeline-item[data-action="register"] img').count(), 0);
  await img.click();
  const full = desk.locator('#photo-viewer[open] img');
  await full.waitFor();
  assert.equal(await loaded(full), 1);
  assert.equal(await full.getAttribute('src'), `/api/v1/attachments/${e.attachments[0].id}`);
  await desk.locator('#photo-viewer').getByRole('button', { name: '关闭' }).click();
  await desk.locator('#photo-viewer').waitFor({ state: 'detached' });

  // The handler's evidence photo goes on the handle entry.
  const disp = await server.login('dispatcher');
  const police = await server.login('handler');
  await api('POST', `/api/v1/events/${e.id}/actions/register`, disp, { minor: '2901' });
  await api('POST', `/api/v1/events/${e.id}/actions/dispatch`, disp, { department: (await api('GET', '/api/v1/departments', disp)).items.find((d) => d.name === '公安').id });
  await api('POST', `/api/v1/events/${e.id}/actions/accept`, police, {});
  const up = await server.api('POST', '/api/v1/attachments', { token: police, raw: jpeg(5), headers: { 'Content-Type': 'image/jpeg' } });
  assert.equal(up.status, 201, up.text);
  await api('POST', `/api/v1/events/${e.id}/actions/handle`, police, { note: '已清运', attachments: [up.json.id] });
  await desk.reload();
  await desk.locator(`#event-timeline .timeline-item[data-action="handle"] li[data-attachment="${up.json.id}"] img`).waitFor();
  assert.equal(await desk.locator('#event-timeline img').count(), 2);
  assert.match(await desk.locator('#event-photo-count').textContent(), /照片 2 张/);
});

test('a large photo is made smaller in the browser before it is sent', async () => {
  const text = '于庄村西路面塌陷（大照片）';
  await goHash(phone, '#/report');
  await phone.getByLabel('事件描述').fill(text);
  await phone.locator('#rp-camera').setInputFiles(photoFile('camera.png', pngOfSize(2400, 1200, 9)));
  await phone.locator('#rp-photos img').waitFor();
  await phone.getByRole('button', { name: '提交上报' }).click();
  await phone.locator('#report-notice[data-state="sent"]').waitFor();
  const [made] = await eventsLike(text);
  const [a] = (await api('GET', `/api/v1/events/${made.id}`, admin)).attachments;
  assert.deepEqual([a.type, a.width, a.height], ['image/jpeg', 1600, 800], 'a JPEG whose longest side is 1600 px');
});

test('offline: the photo waits in IndexedDB with the report; online, a lost upload answer costs nothing: one event, one photo', async () => {
  const text = '于庄村北沟渠漂浮垃圾（离线带照片）';
  const bytes = jpeg(91);
  await goHash(phone, '#/report');
  await phone.locator('#report-form').waitFor();
  await phoneCtx.setOffline(true);
  await phone.getByLabel('事件描述').fill(text);
  await phone.locator('#rp-album').setInputFiles(photoFile('offline.jpg', bytes));
  await phone.locator('#rp-photos img').waitFor();
  await phone.getByRole('button', { name: '提交上报' }).click();
  await phone.locator('#report-notice[data-state="queued"]').waitFor();
  const item = phone.locator('.outbox-item');
  assert.match(await item.textContent(), /附 1 张照片/);
  const key = await item.getAttribute('data-key');
  assert.equal(await keptPhotos(phone, key), 1, 'the photo is kept in IndexedDB');
  assert.ok(!(await phone.evaluate(() => localStorage.getItem('pingan.outbox.v1'))).includes('data:'), 'not in localStorage');
  assert.equal((await eventsLike(text)).length, 0);

  // Back online: the upload reaches the server but its answer is lost.
  let lostId = null;
  await phone.route('**/api/v1/attachments', async (route) => {
    if (route.request().method() !== 'POST' || lostId) return route.fallback();
    const res = await route.fetch();
    lostId = (await res.json()).id;
    await route.abort('connectionreset');
  });
  await phoneCtx.setOffline(false);
  await phone.locator('.outbox-item[data-state="queued"]', { hasText: '已尝试 2 次' }).waitFor();
  assert.ok(lostId > 0, 'the upload reached the server');
  assert.equal((await eventsLike(text)).length, 0, 'no report without its photo');

  // Sent again: the same bytes get the same id; the report goes with it.
  await phone.locator('#outbox-send').click();
  await phone.locator('#report-outbox').waitFor({ state: 'hidden' });
  await phone.unroute('**/api/v1/attachments');
  const made = await eventsLike(text);
  assert.equal(made.length, 1, 'exactly one event');
  const e = await api('GET', `/api/v1/events/${made[0].id}`, admin);
  assert.deepEqual(e.attachments.map((a) => [a.id, a.sha256]), [[lostId, sha(bytes)]], 'exactly one photo: the upload whose answer was lost');
  await phone.waitForFunction(
    (k) =>
      new Promise((resolve) => {
        const rq = indexedDB.open('pingan-outbox', 1);
        rq.onsuccess = () => {
          const get = rq.result.transaction('photos').objectStore('photos').get(k);
          get.onsuccess = () => {
            rq.result.close();
            resolve(get.result === undefined);
          };
        };
      }),
    key
  );
});

test('the report page with photos and the event page with them fit 360 px', async () => {
  await goHash(phone, '#/report');
  await phone.locator('#rp-album').setInputFiles([1, 2, 3, 4, 5].map((i) => photoFile(`p${i}.png`, png(200 + i))));
  await phone.locator('#rp-photos img').nth(4).waitFor();
  const over = await phoneOverflows(phone, [['#/report', '#report-form']], { width: 360 });
  for (const [hash, px] of over) assert.ok(px <= 0, `${hash} scrolls sideways by ${px}px at 360px`);
  // Nine at most: of five more, four are taken and the worker is told.
  await phone.locator('#rp-album').setInputFiles([6, 7, 8, 9, 10].map((i) => photoFile(`p${i}.png`, png(200 + i))));
  await phone.locator('#rp-photo-note', { hasText: '多选的 1 张未添加' }).waitFor();
  assert.equal(await phone.locator('#rp-photos img').count(), 9);
  const [made] = await eventsLike('于庄村东头垃圾堆积（附照片）');
  await goHash(phone, `#/events/${made.id}`);
  await phone.locator('#event-timeline .timeline-photos img').first().waitFor();
  assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'the event page fits');
});
