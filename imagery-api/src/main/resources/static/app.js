// The Imagery upload page: create a process, upload a file with real progress,
// then follow the state machine (created → uploaded → processed | failed) by polling.
// No framework on purpose: the page must work offline and stay small.

const $ = (id) => document.getElementById(id);

const ui = {
  start: $('start'), createForm: $('create-form'), createButton: $('create-button'),
  upload: $('upload'), uploadForm: $('upload-form'), dropZone: $('drop-zone'), fileInput: $('file-input'),
  fileName: $('file-name'), uploadButton: $('upload-button'),
  progress: $('upload-progress'), progressLabel: $('upload-progress-label'),
  view: $('view'), viewTitle: $('view-title'), steps: $('steps'), imageId: $('image-id'),
  results: $('results'),
  originalFigure: $('original-figure'), originalImage: $('original-image'),
  originalFallback: $('original-fallback'), originalLink: $('original-link'),
  processedFigure: $('processed-figure'), processedImage: $('processed-image'),
  processedFallback: $('processed-fallback'), processedLink: $('processed-link'),
  status: $('status'), error: $('error'), errorMessage: $('error-message'), errorDetail: $('error-detail'),
};

// The server writes the limit it enforces into the form; none there means it accepts any size.
const MAX_BYTES = Number(ui.uploadForm.dataset.maxBytes) || Infinity;
const MAX_SIZE = ui.uploadForm.dataset.maxSize;
const POLL_FIRST_MS = 1000;
const POLL_MAX_MS = 10000;
const POLL_FACTOR = 1.6;
const STEPS = ['created', 'uploaded', 'processed'];

// Everything about the image on screen. `generation` changes whenever another image is shown,
// so answers to requests for the previous one are ignored instead of painting over the new one.
const shown = { id: null, generation: 0, timer: 0, delay: POLL_FIRST_MS, image: null,
  focusOnShow: false, processedRetried: false };

class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

// ---------------------------------------------------------------- HTTP

async function api(method, path) {
  let response;
  try {
    response = await fetch(path, { method, headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, null, null);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body, response.headers.get('Retry-After'));
  return body;
}

const imagePath = (id) => `image/${encodeURIComponent(id)}`;

function formatBytes(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

// Problem details in words a person understands; the server's own detail is kept as a second line.
function describe(error, action) {
  const { status, problem } = error;
  const detail = problem?.detail || problem?.title || '';
  switch (status) {
    case 0: return { message: `Could not reach Imagery to ${action}. Check your connection and try again.` };
    case 400: return { message: detail || `That request was not accepted (${action}).` };
    case 404: return { message: 'There is no image with this id. The link may be incomplete or mistyped.', detail };
    case 409: return { message: detail || 'This image can no longer be changed: it has already been processed.' };
    case 413: return { message: MAX_SIZE ? `The file is larger than the ${MAX_SIZE} limit.` : 'The file is too large.', detail };
    case 415: return { message: detail || 'That file is not an image Imagery can read.' };
    case 503: return { message: `Imagery is busy or temporarily unavailable, so it could not ${action}. Please try again shortly.`, detail };
    default:
      if (status >= 500) return { message: `Something went wrong on our side while trying to ${action} (HTTP ${status}).`, detail };
      return { message: detail || `Could not ${action} (HTTP ${status}).` };
  }
}

// ---------------------------------------------------------------- messages

function say(text) {
  ui.status.textContent = text;
}

function showError({ message, detail }) {
  ui.errorMessage.textContent = message;
  ui.errorDetail.textContent = detail || '';
  ui.errorDetail.hidden = !detail || detail === message;
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.errorMessage.textContent = '';
  ui.errorDetail.textContent = '';
}

// ---------------------------------------------------------------- routing: "#view={id}" shows a process

function idFromHash() {
  const match = /^#view=([^&]+)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function route() {
  stopPolling();
  clearError();
  const id = idFromHash();
  if (id) {
    showView(id);
  } else {
    shown.id = null;
    ui.start.hidden = false;
    ui.upload.hidden = true;
    ui.view.hidden = true;
    say('');
  }
}

// ---------------------------------------------------------------- step 1: create

async function createImage(event) {
  event.preventDefault();
  clearError();
  ui.createButton.disabled = true;
  say('Creating a new image…');
  try {
    const image = await api('POST', 'image');
    shown.generation++;
    shown.id = image.id;
    showUpload(image.id);
    say('Ready. Choose a picture to upload.');
    ui.fileInput.focus();
  } catch (error) {
    say('');
    showError(describe(error, 'create a new image'));
  } finally {
    ui.createButton.disabled = false;
  }
}

// ---------------------------------------------------------------- step 2: choose and upload

function showUpload(id) {
  ui.uploadForm.action = `${imagePath(id)}/upload`;
  ui.uploadForm.reset();
  ui.fileInput.disabled = false;
  ui.fileName.hidden = true;
  ui.uploadButton.disabled = true;
  ui.progress.hidden = true;
  ui.progressLabel.hidden = true;
  ui.upload.hidden = false;
  ui.start.hidden = true;
}

function chooseFile(file) {
  clearError();
  ui.uploadButton.disabled = true;
  ui.fileName.hidden = !file;
  if (!file) return;
  ui.fileName.textContent = `${file.name} · ${formatBytes(file.size)}`;
  // Checked here too because a server that refuses a huge body early may just drop the connection.
  if (file.size > MAX_BYTES) {
    showError(describe({ status: 413 }, 'upload'));
    return;
  }
  ui.uploadButton.disabled = false;
  say(`Ready to upload ${file.name}.`);
}

function uploadFile(event) {
  event.preventDefault();
  const file = ui.fileInput.files[0];
  const id = shown.id;
  if (!file || !id || file.size > MAX_BYTES) return;
  clearError();

  const body = new FormData();
  body.append('file', file);
  const request = new XMLHttpRequest();
  request.open('POST', ui.uploadForm.action);
  request.setRequestHeader('Accept', 'application/json'); // JSON instead of the browser redirect

  request.upload.onprogress = (e) => {
    if (!e.lengthComputable) return;
    const percent = Math.floor((e.loaded / e.total) * 100);
    ui.progress.value = percent;
    ui.progressLabel.textContent = `${percent} %`;
  };
  request.onload = () => {
    let answer = null;
    try { answer = JSON.parse(request.responseText); } catch { /* not JSON: described by status */ }
    if (request.status >= 200 && request.status < 300) {
      uploaded(answer && answer.id ? answer : { id, state: 'uploaded' });
    } else {
      uploadFailed(new ApiError(request.status, answer, request.getResponseHeader('Retry-After')));
    }
  };
  request.onerror = () => uploadFailed(new ApiError(0, null, null));

  ui.uploadButton.disabled = true;
  ui.fileInput.disabled = true; // one upload at a time
  ui.dropZone.classList.add('busy');
  ui.progress.value = 0;
  ui.progress.hidden = false;
  ui.progressLabel.textContent = '0 %';
  ui.progressLabel.hidden = false;
  say(`Uploading ${file.name}…`);
  request.send(body);
}

function uploaded(image) {
  ui.dropZone.classList.remove('busy');
  shown.image = image;
  shown.focusOnShow = true;
  const hash = `#view=${encodeURIComponent(image.id)}`;
  if (location.hash === hash) route(); else location.hash = hash; // hashchange → route()
}

function uploadFailed(error) {
  ui.dropZone.classList.remove('busy');
  ui.fileInput.disabled = false;
  ui.progress.hidden = true;
  ui.progressLabel.hidden = true;
  ui.uploadButton.disabled = false; // a retried upload is allowed
  say('');
  showError(describe(error, 'upload the picture'));
}

// ---------------------------------------------------------------- step 3: follow the process

function showView(id) {
  const known = shown.image && shown.image.id === id ? shown.image : null;
  shown.generation++;
  shown.id = id;
  shown.image = null;
  shown.delay = POLL_FIRST_MS;
  ui.start.hidden = true;
  ui.upload.hidden = true;
  ui.view.hidden = false;
  ui.imageId.textContent = id;
  resetResults();
  renderSteps('created');
  if (shown.focusOnShow) {
    shown.focusOnShow = false;
    ui.viewTitle.focus();
  }
  if (known) {
    render(known);
    if (!isFinal(known)) schedulePoll();
  } else {
    say('Loading…');
    poll();
  }
}

const isFinal = (image) => image.state === 'processed' || image.state === 'failed';

function stopPolling() {
  clearTimeout(shown.timer);
  shown.timer = 0;
}

function schedulePoll(delay = shown.delay) {
  stopPolling();
  // Back off gently: most images finish in seconds, slow ones should not cost a request per second.
  shown.timer = setTimeout(poll, document.hidden ? POLL_MAX_MS : delay);
  shown.delay = Math.min(Math.round(shown.delay * POLL_FACTOR), POLL_MAX_MS);
}

async function poll() {
  const generation = shown.generation;
  try {
    const image = await api('GET', imagePath(shown.id));
    if (generation !== shown.generation) return;
    clearError();
    render(image);
    if (!isFinal(image)) schedulePoll();
  } catch (error) {
    if (generation !== shown.generation) return;
    if (error.status === 400 || error.status === 404) {
      say('');
      ui.view.hidden = true;
      showError(describe(error, 'show this image'));
      return; // retrying cannot help
    }
    const retryAfter = Number(error.retryAfter) * 1000;
    const delay = retryAfter > 0 ? Math.min(retryAfter, 60000) : shown.delay;
    say(`Lost contact with Imagery; trying again in ${Math.round(delay / 1000)} s…`);
    schedulePoll(delay);
  }
}

// Reached states get a tick; the next one pulses while the system works on it.
function renderSteps(state) {
  const failed = state === 'failed';
  const reached = failed ? 1 : STEPS.indexOf(state);
  ui.steps.classList.toggle('failed', failed);
  ui.steps.querySelectorAll('li').forEach((item, index) => {
    item.classList.toggle('done', index <= reached);
    item.classList.toggle('current', index === reached + 1 && !failed);
    item.classList.toggle('broken', failed && index === 2);
    if (index === reached) item.setAttribute('aria-current', 'step'); else item.removeAttribute('aria-current');
  });
  ui.steps.lastElementChild.lastChild.textContent = failed ? 'Failed' : 'Processed';
}

function render(image) {
  shown.image = image;
  renderSteps(image.state);
  switch (image.state) {
    case 'created':
      say('Waiting for a picture to be uploaded.');
      if (ui.upload.hidden) showUpload(image.id); // not again on later polls: it would drop the chosen file
      break;
    case 'uploaded':
      ui.upload.hidden = true;
      say('Uploaded. Turning it sepia…');
      break;
    case 'processed':
      ui.upload.hidden = true;
      say('Done: your sepia picture is ready.');
      break;
    case 'failed':
      ui.upload.hidden = true;
      say('');
      showError({ message: 'This picture could not be processed.', detail: image.failureReason || 'No reason was given.' });
      ui.errorDetail.hidden = false;
      break;
    default:
      say(`State: ${image.state}`);
  }
  showPicture(ui.originalFigure, ui.originalImage, image.rawImage);
  ui.originalLink.href = image.rawImage || '#';
  showPicture(ui.processedFigure, ui.processedImage, image.processedImage);
  ui.processedLink.href = image.processedImage || '#';
  ui.results.hidden = ui.originalFigure.hidden && ui.processedFigure.hidden;
}

// Presigned URLs differ on every answer; only the first one is loaded so the picture doesn't reload each poll.
function showPicture(figure, img, url) {
  figure.hidden = !url;
  if (url && !img.getAttribute('src')) img.src = url;
}

function resetResults() {
  for (const img of [ui.originalImage, ui.processedImage]) {
    img.removeAttribute('src');
    img.hidden = false;
  }
  ui.originalFallback.hidden = true;
  ui.processedFallback.hidden = true;
  shown.processedRetried = false;
  ui.results.hidden = true;
}

// TIFF and some WebP files are fine for the worker but not for every browser: offer a download instead.
ui.originalImage.addEventListener('error', () => {
  if (!ui.originalImage.getAttribute('src')) return;
  ui.originalImage.hidden = true;
  ui.originalFallback.hidden = false;
});

// A presigned URL may have expired while the page stayed open: fetch fresh URLs once, then give up politely.
ui.processedImage.addEventListener('error', async () => {
  if (!ui.processedImage.getAttribute('src') || !shown.id) return;
  if (shown.processedRetried) {
    ui.processedImage.hidden = true;
    ui.processedFallback.hidden = false;
    return;
  }
  shown.processedRetried = true;
  try {
    const image = await api('GET', imagePath(shown.id));
    if (!image.processedImage) throw new Error('no processed image');
    ui.processedImage.src = image.processedImage;
    ui.processedLink.href = image.processedImage;
  } catch {
    ui.processedImage.hidden = true;
    ui.processedFallback.hidden = false; // the link below still offers the file
  }
});

// ---------------------------------------------------------------- wiring

ui.createForm.addEventListener('submit', createImage);
ui.uploadForm.addEventListener('submit', uploadFile);
ui.fileInput.addEventListener('change', () => chooseFile(ui.fileInput.files[0]));

for (const type of ['dragenter', 'dragover']) {
  ui.dropZone.addEventListener(type, (e) => {
    e.preventDefault();
    ui.dropZone.classList.add('over');
  });
}
for (const type of ['dragleave', 'drop']) {
  ui.dropZone.addEventListener(type, () => ui.dropZone.classList.remove('over'));
}
ui.dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = e.dataTransfer?.files;
  if (!files || files.length === 0) return;
  ui.fileInput.files = files; // keeps the form and the input in step with what was dropped
  chooseFile(files[0]);
});
// Dropping a file next to the zone must not navigate away from the page.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());

window.addEventListener('hashchange', route);
route();
