// Where the system binaries the lab runs live, and what to install when one is missing.
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export class MissingBinaryError extends Error {
  override name = 'MissingBinaryError';
}

const debianPackages: Record<string, string> = {
  nginx: 'nginx-light',
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  postgres: 'postgresql',
  initdb: 'postgresql',
  chromium: 'chromium',
  openssl: 'openssl',
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PostgreSQL's server binaries are not on PATH on Debian: they live in /usr/lib/postgresql/<version>/bin. */
function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  try {
    return readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join(root, v, 'bin'));
  } catch {
    return [];
  }
}

/** The absolute path of a binary, or a MissingBinaryError that says how to install it. */
export function findBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  if (name === 'postgres' || name === 'initdb') dirs.unshift(...postgresBinDirs());
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  const pkg = debianPackages[name] ?? name;
  throw new MissingBinaryError(
    `${name} not found: install it with \`npm run setup\` (on Debian/Ubuntu it runs \`apt-get install -y ${pkg}\`)`,
  );
}

/** Whether a binary is there at all (for what is only done where it is). */
export function hasBinary(name: string): boolean {
  try {
    findBinary(name);
    return true;
  } catch {
    return false;
  }
}
