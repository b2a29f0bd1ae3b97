'use strict';
/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=<dir> node bench/run.js`): self time by
 * function and by package (node_modules package, Tessera source folder, Node internals).
 *
 *   node bench/profile-summary.js <file.cpuprofile> [--after <seconds>] [--top <n>]
 *
 * --after skips the first seconds of the profile (start-up, seeding). Percentages are of the
 * busy time: everything but (idle); (program) and (garbage collector) are listed as they are.
 */
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith('--') && !/^\d+(\.\d+)?$/.test(arg));
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.js <file.cpuprofile> [--after <seconds>] [--top <n>]\n');
  process.exit(2);
}
const afterUs = option('after', 0) * 1e6;
const top = option('top', 25);

const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
let elapsed = 0;
for (let i = 0; i < profile.samples.length; i++) {
  elapsed += profile.timeDeltas[i] ?? 0;
  if (elapsed < afterUs) continue;
  const id = profile.samples[i];
  // A sample's time is the delta to the next sample.
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
}

function packageOf(url) {
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return 'node: internals';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = clean.indexOf('/dist/src/');
  if (dist >= 0) return `tessera: src/${path.dirname(clean.slice(dist + '/dist/src/'.length))}`;
  return clean;
}

const byFunction = new Map();
const byPackage = new Map();
let busy = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = nodes.get(id);
  if (callFrame.functionName === '(idle)') {
    idle += us;
    continue;
  }
  busy += us;
  const pkg = ['(program)', '(garbage collector)'].includes(callFrame.functionName) ? callFrame.functionName : packageOf(callFrame.url);
  const where = callFrame.url ? `${callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\/src\//, 'src/').replace(/^file:\/\//, '')}:${callFrame.lineNumber + 1}` : '';
  const key = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}

const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(us)} ${ms(us)}  ${name}\n`);
};
process.stdout.write(`${path.basename(file)}: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s${afterUs ? ` (after the first ${afterUs / 1e6} s)` : ''}\n`);
print('Self time by package', byPackage);
print('Self time by function', byFunction);
