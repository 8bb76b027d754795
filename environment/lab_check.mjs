#!/usr/bin/env node
// Look at notebooks as a user does: start JupyterLab (the project's environment, a free local port, no token),
// open each notebook in headless Chromium, Run ▸ Run All Cells in the TypeScript kernel, wait until no cell is
// busy, and save screenshots of the top and the end to build/screenshots/<notebook>-top.png / -end.png.
//
//   node environment/lab_check.mjs [notebooks/00_setup.ipynb …] [--no-run]   (npm run lab:check)
//
// It works on copies in build/lab-check/ (JupyterLab autosaves). --no-run only opens them (e.g. executed copies
// from build/notebooks/, to check that saved figures render).
// Exit code 1 if a notebook shows an error output after running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const run = !args.includes('--no-run');
let notebooks = args.filter((a) => !a.startsWith('--'));
if (!notebooks.length) notebooks = fs.readdirSync(path.join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort().map((f) => `notebooks/${f}`);

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const port = await freePort();
const lab = spawn(path.join(root, 'environment', '.venv', 'bin', 'python'), ['-m', 'jupyterlab', '--no-browser', `--port=${port}`,
  '--port-retries=0', '--ip=127.0.0.1', "--ServerApp.token=", "--ServerApp.password=", `--ServerApp.root_dir=${root}`,
  ...(process.getuid?.() === 0 ? ['--allow-root'] : [])], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, WORKBOOK_ROOT: root } });
let labLog = '';
lab.stderr.on('data', (d) => { labLog += d; });
const base = `http://127.0.0.1:${port}`;
const outDir = path.join(root, 'build', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
let failed = 0;
const browser = await chromium.launch({
  executablePath: process.env.WORKBOOK_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (let i = 0; i < 60 && !/is running at/.test(labLog); i++) await new Promise((r) => setTimeout(r, 500));
  if (!/is running at/.test(labLog)) throw new Error(`JupyterLab did not start:\n${labLog.slice(-2000)}`);
  // Work on copies (JupyterLab autosaves what it runs): build/lab-check/<name>.ipynb.
  const work = path.join(root, 'build', 'lab-check');
  fs.mkdirSync(work, { recursive: true });
  for (const src of notebooks) {
    const name = path.basename(src, '.ipynb');
    fs.copyFileSync(path.resolve(root, src), path.join(work, `${name}.ipynb`));
    const nb = path.relative(root, path.join(work, `${name}.ipynb`));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    await page.goto(`${base}/lab/tree/${nb}?reset`, { waitUntil: 'domcontentloaded' });
    const panel = page.locator('.jp-Notebook >> visible=true');
    await panel.waitFor({ timeout: 60000 });
    await page.waitForTimeout(3000);
    const t0 = Date.now();
    if (run) {
      await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
      await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
      while (Date.now() - t0 < 900000) {
        await page.waitForTimeout(2000);
        const busy = await panel.locator('.jp-InputPrompt').evaluateAll((els) => els.filter((e) => e.textContent.includes('*')).length);
        if (!busy) break;
      }
      await page.waitForTimeout(2000);
    }
    await panel.locator('.jp-Cell').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, `${name}-top.png`) });
    await panel.locator('.jp-Cell').last().scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(outDir, `${name}-end.png`) });
    const errors = await panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts();
    const kernel = await page.locator('.jp-KernelStatus, .jp-Toolbar-kernelName').first().innerText().catch(() => '?');
    const bad = errors.filter((t) => /Error|error TS|\d+:\d+ - /.test(t));
    console.log(`${name}: kernel "${kernel.trim()}", ${run ? `ran in ${((Date.now() - t0) / 1000).toFixed(0)} s, ` : ''}` +
      `${bad.length ? `ERRORS:\n  ${bad.join('\n  ').slice(0, 2000)}` : 'no errors'}; screenshots in ${path.relative(root, outDir)}/${name}-{top,end}.png`);
    if (bad.length) failed++;
    await page.close();
  }
} finally {
  await browser.close();
  lab.kill('SIGTERM');
}
process.exit(failed ? 1 : 0);
