// Builds the web app when `build/` is missing or older than the sources it is made from.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const marker = 'build/BUILD_STAMP';
const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const stale =
  !existsSync(marker) ||
  sources.some((s) => existsSync(s) && (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs) > statSync(marker).mtimeMs);

if (stale) {
  console.log('Building the web app (vite build)…');
  execSync('npx vite build', { stdio: 'inherit' });
}
