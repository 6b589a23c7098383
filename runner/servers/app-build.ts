// The app compiled once for the lab's nodes. `node --import tsx app/server.ts` pays tsx's loader
// on every module a node loads (about half a second of each start on a 2-core machine); a lab run
// starts nodes dozens of times. So the app is bundled by esbuild (its npm packages stay external,
// loaded from node_modules as usual) into .lab/build/<digest of the sources>/, with app/public
// beside it as npm run build places it; a later start with the same sources reuses that build.
import { randomBytes, createHash } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../topology.ts';

const buildRoot = join(projectRoot, '.lab', 'build');
/** Builds kept: the current one and a few before it (another checkout's, a branch switched back). */
const keptBuilds = 3;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Names the sources' state: every file of app/ and lib/ by path, size and modification time. */
async function sourceDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['app', 'lib']) {
    for (const file of await filesUnder(join(projectRoot, dir))) {
      const { size, mtimeMs } = await stat(file);
      hash.update(`${relative(projectRoot, file)} ${size} ${mtimeMs}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function buildInto(dir: string): Promise<void> {
  await build({
    entryPoints: [join(projectRoot, 'app', 'server.ts')],
    outfile: join(dir, 'app', 'server.mjs'),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  // The page reads ../public/index.html from its own module: beside app/ here too.
  await cp(join(projectRoot, 'app', 'public'), join(dir, 'public'), { recursive: true });
}

async function pruneBuilds(current: string): Promise<void> {
  const others = [];
  for (const name of await readdir(buildRoot)) {
    if (name === current) continue;
    others.push({ name, mtimeMs: (await stat(join(buildRoot, name))).mtimeMs });
  }
  others.sort((a, b) => b.mtimeMs - a.mtimeMs);
  await Promise.all(others.slice(keptBuilds - 1).map(({ name }) => rm(join(buildRoot, name), { recursive: true, force: true })));
}

async function compile(): Promise<string> {
  const digest = await sourceDigest();
  const entry = join(buildRoot, digest, 'app', 'server.mjs');
  if (await exists(entry)) return entry;
  // Built aside and renamed into place: another process building the same sources at the same
  // time (parallel test files) finds either nothing or a whole build.
  await mkdir(buildRoot, { recursive: true });
  const scratch = join(buildRoot, `.building-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await buildInto(scratch);
    await rename(scratch, join(buildRoot, digest)).catch(async (err: NodeJS.ErrnoException) => {
      if (!(await exists(entry))) throw err;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await pruneBuilds(digest);
  return entry;
}

let compiled: Promise<string> | undefined;

/** The compiled app's entry point, built on first use in this process. */
export function appEntryPoint(): Promise<string> {
  if (!compiled) {
    compiled = compile();
    // A failed build is not kept: the next start tries again and reports its own error.
    compiled.catch(() => (compiled = undefined));
  }
  return compiled;
}
