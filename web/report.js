// Pingan (平安) 上报事件: the grid worker's phone page (#/report).
//
// Plain ES2020, no framework. Loaded after events.js (category select) and
// registry.js (formFields, areaPicker) and before app.js, whose router calls
// PinganReport.show() and whose shell calls PinganReport.start() once an
// account is signed in. Made for a cheap phone (360 px wide) on a weak
// signal:
//
// - A report is first written to an outbox in localStorage with its
//   idempotency key, then sent. One that cannot be sent (no network, the
//   server unreachable) stays queued and is sent again when the browser says
//   it is online, every 30 seconds while anything waits, on every visit of
//   the page and on 立即发送. The key makes every resend safe: the server
//   answers a repeated key with the event it created the first time.
// - Photos (up to 9, from the camera or the album) are made smaller in the
//   browser (JPEG, longest side 1600 px) when they are large, kept in
//   IndexedDB with the queued report (localStorage is too small for them)
//   and uploaded one by one (POST /api/v1/attachments) before the report
//   names their ids. Each id is written to the outbox as it comes back; an
//   upload whose answer was lost is sent again and the server answers the
//   same bytes of the same account with the same id.
// - The point comes from navigator.geolocation (GPS works without network);
//   without it the worker may choose the micro-grid, and with neither the
//   server files the report under the worker's own grid.
// - The categories are kept in localStorage for use offline.
// - sw.js (registered here) keeps the UI's files, so that the page also
//   loads without network; the account last signed in is remembered
//   (username, name, role, area: nothing secret) so that app.js can show this
//   page offline. Nothing else works offline: every other page needs the API.
//
// What waits in the outbox is the account's own (keyed by username) and
// stays until it is sent or deleted, also across a sign-out. Every string
// from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const OUTBOX = 'pingan.outbox.v1';
  const SENT = 'pingan.sent.v1';
  const CATS = 'pingan.categories.v1';
  const LAST = 'pingan.account.v1';
  const RETRY_MS = 30000;
  const SENT_KEPT = 10;
  const REPORTERS = ['admin', 'dispatcher', 'handler', 'grid_worker', 'mediator', 'petition_officer'];
  const SOURCE_BY_ROLE = { grid_worker: 'grid_worker', handler: 'department' };
  const MAX_PHOTOS = 9; // the server's ATTACHMENT_MAX_PER_ENTRY
  const MAX_SIDE = 1600; // px: a larger photo is scaled down
  const KEEP_BYTES = 1536 * 1024; // a smaller JPEG/PNG/WebP within MAX_SIDE is sent as it is
  const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

  const canReport = (role) => REPORTERS.includes(role);
  const ev = () => window.PinganEvents;

  let ui = null; // app.js's helpers, from start()
  let timer = 0;
  let flushing = null;
  let view = null; // the live page: {render()}

  // ---------------------------------------------------------------- storage

  const load = (key, fallback) => {
    try {
      const v = JSON.parse(localStorage.getItem(key));
      return v === null || v === undefined ? fallback : v;
    } catch (e) {
      return fallback;
    }
  };
  const save = (key, v) => {
    try {
      localStorage.setItem(key, JSON.stringify(v));
      return true;
    } catch (e) {
      return false; // full or disabled: the caller says so
    }
  };
  const owner = () => (ui && ui.account() ? ui.account().username : null);
  const queued = () => load(OUTBOX, []).filter((x) => x.owner === owner());
  const sentList = () => load(SENT, []).filter((x) => x.owner === owner());
  const updateOutbox = (fn) => save(OUTBOX, fn(load(OUTBOX, [])));

  // A key no other report of this account will have: time + 64 random bits.
  function newKey() {
    const r = new Uint32Array(2);
    crypto.getRandomValues(r);
    return `w-${Date.now().toString(36)}-${r[0].toString(36)}${r[1].toString(36)}`;
  }

  // ---------------------------------------------------------------- photos

  // IndexedDB "pingan-outbox", store "photos": a queued report's key -> its
  // photos (an array of Blobs), deleted once the report is sent or dropped.
  let photoDb = null;
  function openPhotoDb() {
    if (!photoDb) {
      photoDb = new Promise((resolve, reject) => {
        const rq = indexedDB.open('pingan-outbox', 1);
        rq.onupgradeneeded = () => rq.result.createObjectStore('photos');
        rq.onsuccess = () => resolve(rq.result);
        rq.onerror = () => reject(rq.error);
      }).catch((e) => {
        photoDb = null;
        throw e;
      });
    }
    return photoDb;
  }
  async function photoStore(mode, fn) {
    const db = await openPhotoDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction('photos', mode);
      const rq = fn(tx.objectStore('photos'));
      tx.oncomplete = () => resolve(rq.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  const putPhotos = (key, blobs) => photoStore('readwrite', (st) => st.put(blobs, key));
  const getPhotos = (key) => photoStore('readonly', (st) => st.get(key));
  const dropPhotos = (key) => photoStore('readwrite', (st) => st.delete(key)).catch(() => {});

  // A photo as it is sent: the file itself when it is small enough, else a
  // JPEG whose longest side is MAX_SIDE. Rejects with a message for a file
  // the browser cannot decode.
  async function preparePhoto(file) {
    let bmp;
    try {
      bmp = await createImageBitmap(file);
    } catch (e) {
      throw new Error(`无法读取图片“${file.name || ''}”，请换一张`);
    }
    try {
      const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
      if (scale === 1 && PHOTO_TYPES.includes(file.type) && file.size <= KEEP_BYTES) return file;
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bmp.width * scale));
      canvas.height = Math.max(1, Math.round(bmp.height * scale));
      const g = canvas.getContext('2d');
      g.fillStyle = '#fff'; // a transparent PNG becomes a JPEG on white
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(bmp, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
      if (!blob) throw new Error(`无法处理图片“${file.name || ''}”，请换一张`);
      return blob;
    } finally {
      bmp.close();
    }
  }

  // Uploads what of the item's photos is not yet on the server; returns
  // their ids, each also written to the outbox as soon as it is known.
  async function uploadPhotos(item) {
    const ids = (item.uploaded || []).slice();
    if (ids.length >= item.photos) return ids;
    const blobs = await getPhotos(item.key).catch(() => null);
    if (!Array.isArray(blobs) || blobs.length !== item.photos) {
      const e = new Error('本机保存的照片已丢失，请删除后重新上报');
      e.status = 400;
      throw e;
    }
    for (let i = ids.length; i < blobs.length; i++) {
      const a = await ui.api('/attachments', { method: 'POST', raw: blobs[i], type: blobs[i].type || 'image/jpeg', auth: false });
      ids.push(a.id);
      updateOutbox((all) => all.map((x) => (x.key === item.key ? { ...x, uploaded: ids.slice() } : x)));
    }
    return ids;
  }

  // ---------------------------------------------------------------- sending

  // Sends what waits, oldest first; stops at the first network failure.
  function flush() {
    if (!ui || !owner()) return Promise.resolve();
    if (flushing) return flushing;
    flushing = (async () => {
      for (const item of queued()) {
        if (item.failed) continue; // refused by the server: the worker decides
        try {
          const body = item.photos ? { ...item.body, attachments: await uploadPhotos(item) } : item.body;
          const e = await ui.api('/events', { method: 'POST', body, auth: false });
          updateOutbox((all) => all.filter((x) => x.key !== item.key));
          if (item.photos) dropPhotos(item.key);
          const sent = load(SENT, []).filter((x) => x.key !== item.key);
          sent.unshift({ owner: item.owner, key: item.key, id: e.id, status_name: e.status_name, description: item.body.description, at: item.at });
          save(SENT, sent.slice(0, SENT_KEPT * 4));
        } catch (e) {
          const retry = e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
          updateOutbox((all) =>
            all.map((x) =>
              x.key === item.key
                ? { ...x, tries: (x.tries || 0) + 1, error: e.status === 401 ? '登录已失效，请重新登录后发送' : e.message, failed: !retry }
                : x
            )
          );
          if (retry) break;
        }
      }
    })().finally(() => {
      flushing = null;
      schedule();
      if (view) view.render();
    });
    return flushing;
  }

  function schedule() {
    clearTimeout(timer);
    timer = 0;
    if (queued().some((x) => !x.failed)) timer = setTimeout(flush, RETRY_MS);
  }

  // From app.js once an account is signed in: remembers it for an offline
  // start and sends what it left queued.
  function start(helpers) {
    ui = helpers;
    const a = ui.account();
    if (a) save(LAST, { username: a.username, name: a.name, role: a.role, role_name: a.role_name, area: a.area, department: a.department });
    flush();
  }

  // From app.js at sign-out: no offline start for this account any more.
  function stop() {
    clearTimeout(timer);
    timer = 0;
    try {
      localStorage.removeItem(LAST);
    } catch (e) {
      // nothing to forget
    }
  }

  // The GPS button: a click asks navigator.geolocation (which works without
  // network) and says in `where` what came of it; onPoint({lng, lat}) gets
  // the point. `fallback` says what to do without one.
  function gpsButton(button, where, fallback, onPoint) {
    button.addEventListener('click', () => {
      if (!navigator.geolocation) {
        where.textContent = `本机不支持定位，${fallback}`;
        return;
      }
      where.textContent = '正在定位…';
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          button.disabled = false;
          const point = { lng: Number(pos.coords.longitude.toFixed(7)), lat: Number(pos.coords.latitude.toFixed(7)) };
          where.textContent = `已定位：${point.lng.toFixed(6)}, ${point.lat.toFixed(6)}` + (pos.coords.accuracy ? `（精度约 ${Math.round(pos.coords.accuracy)} 米）` : '');
          where.dataset.state = 'gps';
          onPoint(point);
        },
        (err) => {
          button.disabled = false;
          where.textContent = `${err && err.code === 1 ? '未获得定位权限' : '定位失败'}，${fallback}`;
          where.dataset.state = 'none';
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  // The account to show the report page to when the server cannot be reached.
  const lastAccount = () => load(LAST, null);

  window.addEventListener('online', () => flush());
  if ('serviceWorker' in navigator && window.isSecureContext) {
    window.addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}));
  }

  // ---------------------------------------------------------------- page

  // opts {signal, ui}
  function show(main, opts) {
    const { h } = opts.ui;
    ui = opts.ui;
    const { signal } = opts;
    document.title = '上报事件 · 平安';
    const acct = ui.account();
    if (!acct || !canReport(acct.role) || !window.PinganRegistry || !ev()) {
      main.replaceChildren(ui.message('无权访问', '您的账号无权上报事件。', true));
      return;
    }
    const { field, clear, show: showError } = window.PinganRegistry.formFields(h, 'rp');
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const desc = h('textarea', { name: 'description', rows: '4', maxlength: '2000', required: true, placeholder: '发生了什么、在哪里、涉及多少人' });
    const catBox = h('div.report-cat', { id: 'rp-minor-box' });
    let catSelect = null;
    const setCats = (items) => {
      catSelect = ev().categorySelect(h, items, { value: catSelect ? catSelect.value : '', emptyLabel: '不确定（由综治中心分类）' });
      catSelect.id = 'rp-minor';
      catBox.replaceChildren(catSelect);
    };
    setCats(load(CATS, []));
    ev()
      .categories(ui)
      .then((items) => {
        save(CATS, items);
        if (!signal.aborted) setCats(items);
      })
      .catch(() => {});

    // The point: GPS, else a chosen micro-grid, else the worker's grid.
    let point = null;
    let picker = null;
    const where = h('p.report-where', { id: 'rp-where', role: 'status' }, '未定位：将按您所在的网格上报');
    const locate = h('button.ghost-dark', { type: 'button', id: 'rp-locate' }, '获取当前位置');
    const pickBtn = h('button.ghost-dark', { type: 'button', id: 'rp-pick' }, '选择微网格');
    const pickBox = h('div.report-pick');
    gpsButton(locate, where, '请选择微网格，或直接上报（按您所在的网格）', (p) => {
      point = p;
      picker = null;
      pickBox.replaceChildren();
    });
    pickBtn.addEventListener('click', () => {
      point = null;
      picker = window.PinganRegistry.areaPicker(ui, signal, null);
      picker.el.id = 'rp-area';
      pickBox.replaceChildren(picker.el);
      where.textContent = '请选择事件所在的微网格';
      where.dataset.state = 'pick';
    });
    const address = h('input', { name: 'address', type: 'text', maxlength: '128', autocomplete: 'off', placeholder: '可选，如 于庄村东头' });
    // 伤亡人数: what makes an accident break "零事故" (三零创建); most reports have none.
    const casualties = h('input', { name: 'casualties', type: 'number', min: '0', max: '100000', step: '1', inputmode: 'numeric', placeholder: '可选' });

    // Photos: the camera or the album, up to MAX_PHOTOS, as thumbnails.
    let photos = []; // [{blob, url}]
    let preparing = Promise.resolve();
    const photoList = h('ul.photo-list.report-photos', { id: 'rp-photos' });
    const photoNote = h('p.report-where', { id: 'rp-photo-note', role: 'status' });
    const camera = h('input.visually-hidden', { type: 'file', accept: 'image/*', capture: 'environment', id: 'rp-camera' });
    const album = h('input.visually-hidden', { type: 'file', accept: 'image/*', multiple: true, id: 'rp-album' });
    const renderPhotos = () => {
      photoList.replaceChildren(
        ...photos.map((p, i) =>
          h(
            'li.photo-thumb',
            null,
            h('img', { src: p.url, alt: `照片 ${i + 1}` }),
            h('button.photo-remove', { type: 'button', title: '删除这张照片', 'aria-label': `删除照片 ${i + 1}`, onclick: () => { URL.revokeObjectURL(p.url); photos = photos.filter((x) => x !== p); renderPhotos(); } }, '×')
          )
        )
      );
      photoNote.textContent = photos.length ? `已选 ${photos.length} 张，最多 ${MAX_PHOTOS} 张` : `可选，最多 ${MAX_PHOTOS} 张`;
      photoList.hidden = !photos.length;
    };
    const addPhotos = (input) => {
      const files = [...input.files];
      input.value = '';
      const room = MAX_PHOTOS - photos.length;
      preparing = preparing.then(async () => {
        photoNote.textContent = '正在处理照片…';
        const problems = files.length > room ? [`最多 ${MAX_PHOTOS} 张，多选的 ${files.length - Math.max(room, 0)} 张未添加`] : [];
        for (const f of files.slice(0, Math.max(room, 0))) {
          try {
            const blob = await preparePhoto(f);
            photos.push({ blob, url: URL.createObjectURL(blob) });
          } catch (e) {
            problems.push(e.message);
          }
        }
        renderPhotos();
        if (problems.length) photoNote.textContent = problems.join('；');
      });
    };
    camera.addEventListener('change', () => addPhotos(camera));
    album.addEventListener('change', () => addPhotos(album));
    const photoBox = h(
      'div.report-locate',
      { role: 'group', tabindex: '-1', id: 'rp-photo-box' },
      h('div.report-locate-buttons', null, h('label.button.ghost-dark', { for: 'rp-camera' }, '拍照'), camera, h('label.button.ghost-dark', { for: 'rp-album' }, '从相册选择'), album),
      photoList,
      photoNote
    );
    renderPhotos();
    const submit = h('button.primary.wide', { type: 'submit' }, '提交上报');
    const form = h(
      'form.card.report-form',
      { id: 'report-form', novalidate: true },
      alert,
      field('description', '事件描述', desc, { required: true, wide: true }),
      field('minor', '事件分类', catBox, { for: 'rp-minor', hint: '可不选，由综治中心立案时分类' }),
      field('lng', '位置', h('div.report-locate', { role: 'group', tabindex: '-1' }, h('div.report-locate-buttons', null, locate, pickBtn), where, pickBox), { wide: true, for: 'rp-locate' }),
      field('address', '地址', address, { wide: true }),
      field('casualties', '伤亡人数', casualties, { hint: '有人员伤亡的事故、案件才填写' }),
      field('attachments', '现场照片', photoBox, { wide: true, for: 'rp-album' }),
      submit
    );
    const outbox = h('section.card.report-outbox', { id: 'report-outbox', 'aria-live': 'polite' });
    const sentBox = h('section.card.report-sent', { id: 'report-sent' });

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(alert);
      notice.hidden = true; // the notice of the report before
      delete notice.dataset.state;
      const description = desc.value.trim();
      if (!description) return showError('description', '请填写事件描述', alert);
      await preparing;
      const body = { source: SOURCE_BY_ROLE[acct.role] || 'inspection', description, idempotency_key: newKey() };
      if (catSelect && catSelect.value) body.minor = catSelect.value;
      if (point) Object.assign(body, point);
      else if (picker) {
        if (!picker.value()) return showError('lng', picker.loading() ? '正在加载网格，请稍候' : '请选择微网格', alert);
        body.area = picker.value();
      }
      if (address.value.trim()) body.address = address.value.trim();
      if (casualties.value.trim() !== '' || casualties.validity.badInput) {
        const n = Number(casualties.value);
        if (casualties.validity.badInput || !Number.isInteger(n) || n < 0 || n > 100000) {
          return showError('casualties', '伤亡人数应为 0 到 100000 之间的整数', alert);
        }
        if (n > 0) body.casualties = n;
      }
      const item = { owner: acct.username, key: body.idempotency_key, body, at: new Date().toISOString(), tries: 0 };
      if (photos.length) {
        item.photos = photos.length;
        try {
          await putPhotos(item.key, photos.map((p) => p.blob));
        } catch (err) {
          return showError('attachments', '无法在本机保存照片（存储已满或被禁用），请减少照片后重试', alert);
        }
      }
      if (!updateOutbox((all) => [...all, item])) {
        if (item.photos) dropPhotos(item.key);
        return showError(null, '本机存储已满，无法保存上报，请删除待发送的旧记录', alert);
      }
      form.reset();
      for (const p of photos) URL.revokeObjectURL(p.url);
      photos = [];
      renderPhotos();
      point = null;
      picker = null;
      pickBox.replaceChildren();
      where.textContent = '未定位：将按您所在的网格上报';
      delete where.dataset.state;
      render();
      await flush();
      const left = queued().find((x) => x.key === item.key);
      const done = !left;
      notice.textContent = done ? '已上报，综治中心将及时处理。' : left.failed ? `上报未被接受：${left.error}` : '当前无法连接服务器：已保存在本机，网络恢复后将自动发送。';
      notice.hidden = false;
      notice.dataset.state = done ? 'sent' : left.failed ? 'failed' : 'queued';
    });

    const notice = h('p.report-notice', { id: 'report-notice', role: 'status', hidden: true });
    const render = () => {
      const q = queued();
      outbox.hidden = !q.length;
      outbox.replaceChildren(
        h('h2', null, '待发送', h('span.count', { id: 'outbox-count' }, String(q.length))),
        h('p.muted.small', null, navigator.onLine ? '正在等待服务器，稍后自动重试。' : '当前离线：网络恢复后自动发送。'),
        h(
          'ul.outbox-list',
          null,
          q.map((x) =>
            h(
              'li.outbox-item',
              { dataset: { key: x.key, state: x.failed ? 'failed' : 'queued' } },
              h('span.outbox-desc', null, x.body.description),
              h('span.muted.small', null, ui.fmtTime(x.at).slice(5, 16), x.photos ? ` · 附 ${x.photos} 张照片` : '', x.tries ? ` · 已尝试 ${x.tries} 次` : ''),
              x.error ? h('span.small.text-error', null, x.error) : null,
              x.failed
                ? h('button.ghost-dark.small', { type: 'button', onclick: () => { updateOutbox((all) => all.filter((y) => y.key !== x.key)); if (x.photos) dropPhotos(x.key); render(); } }, '删除')
                : null
            )
          )
        ),
        h('button.ghost-dark', { type: 'button', id: 'outbox-send', onclick: () => flush() }, '立即发送')
      );
      const s = sentList().slice(0, SENT_KEPT);
      sentBox.hidden = !s.length;
      sentBox.replaceChildren(
        h('h2', null, '最近上报'),
        h(
          'ul.sent-list',
          null,
          s.map((x) => h('li', { dataset: { id: String(x.id) } }, h('a', { href: ev().eventHref(x.id) }, x.description), h('span.muted.small', null, ` 事件 ${x.id}`)))
        )
      );
    };
    view = { render };
    signal.addEventListener('abort', () => {
      if (view && view.render === render) view = null;
    });
    main.replaceChildren(h('div.report-page', null, h('h1.page-title', null, '上报事件'), notice, form, outbox, sentBox));
    render();
    flush();
  }

  window.PinganReport = Object.freeze({ show, start, stop, flush, canReport, lastAccount, gpsButton });
})();
