#!/usr/bin/env node
// Idempotent set-up of everything the workbook needs; every step runs only where something is missing.
//
//   node environment/setup.mjs [--peers] [--quiet]
//
// 1. Debian packages: python3-venv, dataset-fashion-mnist, chromium (with --peers also python3-sklearn,
//    python3-scipy, python3-torch for the benchmarks). As root they are installed with apt-get; otherwise
//    the exact apt-get line is printed and setup stops.
// 2. `npm ci` when node_modules does not match package-lock.json.
// 3. A Python virtual environment in environment/.venv with environment/requirements.txt (JupyterLab,
//    nbclient, plotly's JupyterLab renderer), reinstalled when the requirements change.
// 4. The tslab kernel registered inside that environment, calling this Node and this project's tslab by
//    absolute path (no PATH needed).
// 5. node_modules/superposition-workbook -> the project (notebooks `import … from 'superposition-workbook'`)
//    and node_modules/.bin/superposition (the CLI).
// 6. build/test-venv (numpy, safetensors: the Python side of the format tests) and, with --peers, build/peers-venv,
//    the benchmarks' newer peers (PyTorch CPU and scikit-learn 1.9 from the local wheel store, numpy, scipy,
//    threadpoolctl); Debian's peers stay in /usr/bin/python3.
// 7. `tsc` build of src/ to dist/ when a source file is newer than the last build.
// Plain Node with no dependencies: it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dns from 'node:dns/promises';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const t0 = Date.now();
const did = [];

const log = (msg) => { if (!quiet) console.log(`setup: ${msg}`); };
const die = (msg) => { console.error(`setup: ${msg}`); process.exit(1); };
const sha = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
const run = (cmd, argv, opts = {}) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) die(`could not start ${cmd}: ${r.error.message}`);
  if (r.status !== 0) die(`'${cmd} ${argv.join(' ')}' failed with exit code ${r.status}`);
};
const readJson = (file) => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } };

// 0. Node version ---------------------------------------------------------------------------------------
const [maj, min] = process.versions.node.split('.').map(Number);
if (maj < 20 || (maj === 20 && min < 19)) {
  die(`Node ${process.versions.node} is too old: the tslab kernel loads ESM packages through require(esm), ` +
    'which needs Node >= 20.19. Install a newer Node.js and run again.');
}

// 1. Debian packages -------------------------------------------------------------------------------------
const aptWanted = ['python3-venv', 'dataset-fashion-mnist', 'chromium'];
if (args.has('--peers')) aptWanted.push('python3-sklearn', 'python3-scipy', 'python3-torch', 'python3-numpy', 'python3-threadpoolctl');
const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasDpkg) {
  const missing = aptWanted.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !/install ok installed/.test(r.stdout);
  });
  if (missing.length) {
    const line = `apt-get update && apt-get install -y ${missing.join(' ')}`;
    if (process.getuid && process.getuid() !== 0) {
      die(`missing Debian packages: ${missing.join(', ')}.\nRun as root:\n  sudo sh -c '${line}'\nthen run this command again.`);
    }
    log(`installing Debian packages: ${missing.join(', ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-q'], { env });
    run('apt-get', ['install', '-y', '-q', ...missing], { env });
    did.push('apt');
  }
} else {
  log('not a Debian system: install Python 3 with venv and Chromium yourself; ' +
    'Fashion-MNIST will be downloaded into data/ on first use');
}

// 2. npm packages ----------------------------------------------------------------------------------------
const lock = path.join(root, 'package-lock.json');
const npmStamp = path.join(root, 'node_modules', '.workbook-npm-stamp');
const lockHash = sha(lock);
if (!fs.existsSync(npmStamp) || fs.readFileSync(npmStamp, 'utf8') !== lockHash) {
  log('installing npm packages (npm ci; the optional native backend @tensorflow/tfjs-node is skipped where it cannot be fetched)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(npmStamp, lockHash);
  did.push('npm');
}

// 3. Python virtual environment ---------------------------------------------------------------------------
/** pip's configuration as `pip config list` prints it (find-links, index URLs), for the Python `py`. */
const pipConfig = (py) => spawnSync(py, ['-m', 'pip', 'config', 'list'], { encoding: 'utf8' }).stdout ?? '';
/**
 * Extra `pip install` arguments for a machine that finds wheels only on disk: pip's default index is asked first
 * and retried with back-off when it is unreachable, which costs minutes. Probe once; offline, fail fast.
 */
const offlinePipArgs = async (py) => {
  const custom = /(^|\.)index-url\s*=\s*'?(https?:\/\/[^'\s]+)/m.exec(pipConfig(py).replace(/extra-index-url[^\n]*/g, ''));
  const host = custom ? new URL(custom[2]).hostname : 'pypi.org';
  const reachable = await Promise.race([
    dns.lookup(host).then(() => true, () => false),
    new Promise((r) => setTimeout(() => r(false), 3000)),
  ]);
  if (reachable) return [];
  log(`${host} is unreachable: pip will use only the local wheel sources configured for pip`);
  // -qq: pip warns once per package about the empty mirror folders of such local indexes; errors still show.
  return ['--retries', '0', '--timeout', '5', '-qq'];
};
const venv = path.join(root, 'environment', '.venv');
const py = path.join(venv, 'bin', 'python');
const req = path.join(root, 'environment', 'requirements.txt');
const venvStamp = path.join(venv, '.workbook-stamp');
const reqHash = sha(req);
if (!fs.existsSync(py)) {
  const sysPy = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  log(`creating the Python environment ${path.relative(root, venv)} with ${sysPy}`);
  run(sysPy, ['-m', 'venv', venv]);
}
if (!fs.existsSync(venvStamp) || fs.readFileSync(venvStamp, 'utf8') !== reqHash) {
  log('installing JupyterLab and the Jupyter client into the environment');
  run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...await offlinePipArgs(py), '-r', req]);
  fs.writeFileSync(venvStamp, reqHash);
  did.push('pip');
}

// 4. tslab kernel -----------------------------------------------------------------------------------------
const kernelDir = path.join(venv, 'share', 'jupyter', 'kernels', 'tslab');
const kernelJson = {
  argv: [process.execPath, path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'],
  display_name: 'TypeScript (superposition-workbook)',
  language: 'typescript',
  env: { WORKBOOK_ROOT: root },
};
const kernelFile = path.join(kernelDir, 'kernel.json');
if (JSON.stringify(readJson(kernelFile)) !== JSON.stringify(kernelJson)) {
  fs.mkdirSync(kernelDir, { recursive: true });
  fs.writeFileSync(kernelFile, JSON.stringify(kernelJson, null, 2) + '\n');
  did.push('kernel');
}

// 5. Links: the package itself, and the CLI ---------------------------------------------------------------
const ensureLink = (linkPath, target) => {
  let current = null;
  try { current = fs.readlinkSync(linkPath); } catch { /* absent */ }
  if (current === target) return;
  fs.rmSync(linkPath, { force: true, recursive: true });
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  fs.symlinkSync(target, linkPath);
  did.push('link');
};
ensureLink(path.join(root, 'node_modules', 'superposition-workbook'), '..');
ensureLink(path.join(root, 'node_modules', '.bin', 'superposition'), '../../dist/cli/main.js');

// 6. Python environments beside Jupyter's, under build/ -----------------------------------------------------
// The test environment: the Python side of the format tests (files written by numpy and safetensors are read here,
// and files we write are read back there). Pinned; a failed install only skips those tests, with a message.
await sideVenv('test-venv', ['numpy==2.4.6', 'safetensors==0.8.0'], 'the safetensors/SAELens round-trip tests against Python are skipped');
if (args.has('--peers')) await peersVenv();

/**
 * A Python virtual environment build/<name> holding exactly `wanted` (pip requirement strings), made with the
 * system Python from the local wheel sources; reinstalled only when `wanted` changes (a stamp holds it). Returns
 * whether it is ready; on failure says what is missing and what that costs (`without`) and goes on.
 */
async function sideVenv(name, wanted, without) {
  const dir = path.join(root, 'build', name);
  const vpy = path.join(dir, 'bin', 'python');
  const stamp = path.join(dir, '.workbook-stamp');
  const sysPy = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  if (fs.existsSync(vpy) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted.join(' ')) return true;
  if (!fs.existsSync(vpy)) {
    log(`creating the Python environment ${path.relative(root, dir)} with ${sysPy}`);
    const r = spawnSync(sysPy, ['-m', 'venv', dir], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) { log(`could not create ${path.relative(root, dir)}: ${without}`); return false; }
  }
  log(`installing ${wanted.join(', ')} into ${path.relative(root, dir)}`);
  const r = spawnSync(vpy, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...await offlinePipArgs(vpy), ...wanted],
    { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    log(`pip could not install ${wanted.join(' ')} into ${path.relative(root, dir)} (errors above; the wheels must be on ` +
      `pip's local index): ${without} until this succeeds`);
    return false;
  }
  fs.writeFileSync(stamp, wanted.join(' '));
  did.push(name);
  return true;
}

/**
 * build/peers-venv: PyTorch (the CPU wheel of the local wheel store: pip's index may also offer a larger CUDA
 * build), scikit-learn 1.9, numpy, scipy, threadpoolctl. Without the torch wheel it says what is missing and goes
 * on: the benchmarks then run Debian's peers alone.
 */
async function peersVenv() {
  const sysPy = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const links = [...pipConfig(sysPy).matchAll(/find-links\s*=\s*'?([^'\n]+)'?/g)].flatMap((m) => m[1].trim().split(/\s+/))
    .map((l) => l.replace(/^file:\/\//, '')).filter((d) => fs.existsSync(d) && fs.statSync(d).isDirectory());
  const cpuWheels = links.flatMap((d) => fs.readdirSync(d).filter((f) => /^torch-[^-]+\+cpu-/.test(f)).map((f) => f.split('-')[1]));
  const byVersion = (a, b) => a.localeCompare(b, 'en', { numeric: true });
  const torchVersion = cpuWheels.sort(byVersion).at(-1);
  if (!torchVersion) {
    log(`no PyTorch CPU wheel (torch-*+cpu-*.whl) in the local wheel store (pip find-links: ${links.join(', ') || 'none'}); ` +
      'build/peers-venv is not made and the benchmarks compare with Debian\'s peers only. ' +
      'Put a torch CPU wheel in a find-links folder of pip and run this again.');
    return;
  }
  await sideVenv('peers-venv', [`torch==${torchVersion}`, 'scikit-learn>=1.9,<1.10', 'numpy', 'scipy', 'threadpoolctl'],
    "the benchmarks compare with Debian's peers only");
}

// 7. Build src/ -> dist/ ----------------------------------------------------------------------------------
const buildStamp = path.join(root, 'dist', '.build-stamp');
const newest = (dir) => {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
};
const srcTime = Math.max(newest(path.join(root, 'src')), fs.statSync(path.join(root, 'tsconfig.build.json')).mtimeMs,
  fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
const builtTime = fs.existsSync(buildStamp) ? fs.statSync(buildStamp).mtimeMs : 0;
if (srcTime > builtTime) {
  log('compiling src/ to dist/');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { stdio: 'inherit', cwd: root });
  if (r.status !== 0) die('src/ does not compile (errors above): fix them, then run this command again');
  fs.chmodSync(path.join(root, 'dist', 'cli', 'main.js'), 0o755);
  fs.writeFileSync(buildStamp, new Date().toISOString());
  did.push('build');
}

log(`${did.length ? `done (${did.join(', ')})` : 'everything present'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
