/**
 * Static rendering of plotly figures to SVG and PNG in headless Chromium (Debian's `chromium`, driven by
 * playwright-core). One browser and one page (with plotly.js loaded once) serve every figure of the
 * process; the browser does not keep the process alive and is closed when the process ends.
 *
 * Environment: `WORKBOOK_CHROMIUM` (path of the browser, default /usr/bin/chromium), `WORKBOOK_STATIC=0`
 * (turn static rendering off).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { PlotlyFigure, figureSize } from './figure';

/** Chromium flags that work on this machine (headless, no sandbox, no network side traffic). */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A rendered figure: SVG text and PNG bytes (PNG at `scale`× the CSS size). */
export interface RenderedFigure {
  svg: string;
  png: Buffer;
  /** CSS size of the figure (px); the PNG is `scale` times larger. */
  width: number;
  height: number;
  scale: number;
  /** PNG at 1× (exactly width×height), when asked for with `notebookPng`: the notebook's image/png. */
  pngNotebook?: Buffer;
}

/** Options of {@link renderFigure}. */
export interface RenderOptions {
  /** PNG pixel ratio (default 2: crisp on high-DPI screens and in the README). */
  scale?: number;
  /** Give up after this many ms (default 60000). */
  timeoutMs?: number;
  /**
   * Also render a 1× PNG for the notebook (front ends such as JupyterLab's plotly renderer draw the PNG at
   * its pixel size, so a 2× PNG would appear twice too large there).
   */
  notebookPng?: boolean;
}

/** Whether static rendering is possible, and why not if it is not. */
export interface RendererStatus {
  available: boolean;
  executable: string;
  reason?: string;
}

/** Where Chromium is expected, and whether static rendering is on. Does not start anything. */
export function rendererStatus(): RendererStatus {
  const executable = process.env.WORKBOOK_CHROMIUM || '/usr/bin/chromium';
  if (/^(0|false|no|off)$/i.test(process.env.WORKBOOK_STATIC ?? '')) {
    return { available: false, executable, reason: 'WORKBOOK_STATIC=0 is set' };
  }
  try {
    fs.accessSync(executable, fs.constants.X_OK);
  } catch {
    return { available: false, executable, reason: `no Chromium at ${executable} (install Debian's 'chromium' with the setup, or set WORKBOOK_CHROMIUM)` };
  }
  try {
    require.resolve('playwright-core');
    require.resolve('plotly.js-dist');
  } catch {
    return { available: false, executable, reason: 'playwright-core or plotly.js-dist is not installed (run npm ci)' };
  }
  return { available: true, executable };
}

// Minimal structural types of the playwright objects used here (playwright-core's own types are large).
interface PwPage {
  goto(url: string, o: { waitUntil: 'load'; timeout: number }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
interface PwBrowser { newPage(): Promise<PwPage>; close(): Promise<void>; on(event: 'disconnected', cb: () => void): void }

interface Session { browser: PwBrowser; page: PwPage; child: ChildProcess | null }

let session: Promise<Session> | null = null;
let queue: Promise<unknown> = Promise.resolve();
let busy = 0;
let keepAlive: NodeJS.Timeout | null = null;
let exitHookInstalled = false;
let closing: Promise<void> | null = null;

/** Hold the event loop open while work is in flight (the browser's own handles are unref'ed). */
function hold(): void {
  if (busy++ === 0) keepAlive = setInterval(() => undefined, 1 << 30);
}
function release(): void {
  if (--busy === 0 && keepAlive) { clearInterval(keepAlive); keepAlive = null; }
}

function unrefChild(child: ChildProcess | null): void {
  if (!child) return;
  child.unref();
  for (const s of child.stdio) (s as { unref?: () => void } | null)?.unref?.();
}

async function launch(): Promise<Session> {
  const status = rendererStatus();
  if (!status.available) throw new Error(`static rendering is off: ${status.reason}`);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require('playwright-core') as { chromium: { launch(o: Record<string, unknown>): Promise<PwBrowser> } };
  // Capture the browser's child process (to unref its pipes, so an idle browser does not keep a
  // script alive). playwright spawns through child_process.spawn; we only watch that one call.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const cp = require('node:child_process') as typeof import('node:child_process');
  const orig = cp.spawn;
  let child: ChildProcess | null = null;
  (cp as { spawn: unknown }).spawn = function patched(this: unknown, ...args: unknown[]) {
    const c = (orig as (...a: unknown[]) => ChildProcess).apply(this, args);
    if (!child && args[0] === status.executable) child = c;
    return c;
  };
  let browser: PwBrowser;
  try {
    browser = await chromium.launch({
      executablePath: status.executable, headless: true, args: CHROMIUM_FLAGS, timeout: 60000,
      // The tslab kernel uses SIGINT to interrupt a cell: playwright must not exit the process on it.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
  } finally {
    (cp as { spawn: unknown }).spawn = orig;
  }
  // If the browser dies (crash, killed), forget it: the next figure starts a new one.
  browser.on('disconnected', () => { if (session === current) session = null; });
  const page = await browser.newPage();
  // Let Chromium read plotly.js (11 MB) from disk: ~1.6× faster than sending it through the DevTools pipe.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-plotly-'));
  try {
    const html = path.join(tmp, 'plotly.html');
    fs.writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8"><script src="${pathToFileURL(require.resolve('plotly.js-dist')).href}"></script></head><body></body></html>`);
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 120000 });
    const ok = await page.evaluate(() => typeof (globalThis as { Plotly?: unknown }).Plotly === 'object', undefined);
    if (!ok) throw new Error('plotly.js did not load in Chromium');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  unrefChild(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Close gracefully when the script has nothing else to do; playwright's own 'exit' hook kills the
    // browser and removes its temporary profile if the process ends any other way.
    process.on('beforeExit', () => { if (session && !closing) void closeRenderer(); });
  }
  return { browser, page, child };
}

/** Start the browser (once per process) and return the shared session. */
let current: Promise<Session> | null = null;
function getSession(): Promise<Session> {
  if (!session) {
    session = current = launch();
    session.catch(() => { session = null; });
  }
  return session;
}

/**
 * Start the browser and load plotly in the background (e.g. in a notebook's first cell), so the first
 * figure does not wait for it. Does nothing if static rendering is unavailable or already started.
 */
export function warmUpRenderer(): void {
  if (session || !rendererStatus().available) return;
  hold();
  getSession().then(() => undefined, () => undefined).finally(release);
}

/**
 * Render a figure to SVG and PNG (at `scale`× its CSS size, default 2) in the shared headless Chromium.
 * The first call starts the browser and loads plotly (a few seconds); later calls take tens of ms.
 * Throws if Chromium is unavailable ({@link rendererStatus} says why).
 */
export function renderFigure(fig: PlotlyFigure, opts: RenderOptions = {}): Promise<RenderedFigure> {
  const { width, height } = figureSize(fig);
  const scale = opts.scale ?? 2;
  const timeoutMs = opts.timeoutMs ?? 60000;
  hold();
  const job = queue.then(async () => {
    const s = await getSession();
    const spec = { data: fig.data, layout: { ...fig.layout, width, height }, config: { staticPlot: true } };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rendering the figure took more than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const r = await Promise.race([timeout, s.page.evaluate(async (a: { spec: PlotlyFigure; width: number; height: number; scale: number; nb: boolean }) => {
        const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        const svg = await P.toImage(a.spec, { format: 'svg', width: a.width, height: a.height });
        const png = await P.toImage(a.spec, { format: 'png', width: a.width, height: a.height, scale: a.scale });
        const png1 = a.nb ? (a.scale === 1 ? png : await P.toImage(a.spec, { format: 'png', width: a.width, height: a.height, scale: 1 })) : '';
        return { svg, png, png1 };
      }, { spec, width, height, scale, nb: Boolean(opts.notebookPng) })]);
      const svgUrl = r.svg;
      const comma = svgUrl.indexOf(',');
      const svg = svgUrl.startsWith('data:image/svg+xml;base64,')
        ? Buffer.from(svgUrl.slice(comma + 1), 'base64').toString('utf8')
        : decodeURIComponent(svgUrl.slice(comma + 1));
      const fromUrl = (u: string) => Buffer.from(u.slice(u.indexOf(',') + 1), 'base64');
      const out: RenderedFigure = { svg, png: fromUrl(r.png), width, height, scale };
      if (r.png1) out.pngNotebook = fromUrl(r.png1);
      return out;
    } finally {
      clearTimeout(timer);
    }
  });
  queue = job.catch(() => undefined);
  return job.finally(() => { release(); scheduleIdleClose(); });
}

let idleTimer: NodeJS.Timeout | null = null;
/**
 * Fallback when the browser's process could not be captured (its pipes then keep the process alive):
 * close it after 5 s without work. Not needed in the usual case.
 */
function scheduleIdleClose(): void {
  if (!session) return;
  void session.then((s) => {
    if (s.child) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { idleTimer = null; if (busy === 0) void closeRenderer(); }, 5000);
  }, () => undefined);
}

/** Close the shared browser (if open). Safe to call any time; the next render starts a new one. */
export function closeRenderer(): Promise<void> {
  if (!session) return Promise.resolve();
  if (closing) return closing;
  const s = session;
  hold();
  closing = s.then((x) => x.browser.close(), () => undefined)
    .catch(() => undefined)
    .finally(() => { session = null; closing = null; release(); });
  return closing;
}
