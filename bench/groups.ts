// What a benchmark run measures, by name: `--only <group…>` picks groups, and each mode has its
// default. Quick answers the question a newcomer asks first (what each store costs against no
// sessions and against each other, read and write, direct and through nginx); the full run
// measures every group.

/** Groups of throughput cases, each compared with its store's node direct (and the baseline). */
export const throughputGroups = {
  stores: 'every store’s node direct against each other and the no-session baseline',
  nginx: 'each store through nginx against its node direct',
  'cart-in-session': 'a node with the cart in the session object (CART_MODE=session) beside each store’s node',
  touch: 'a node touching on every read (SESSION_TOUCH_AFTER_SECONDS=0) beside each store’s node',
  peer: 'a plain Express + express-session app on each store beside its node',
  aof: 'Redis with an append-only file (everysec, always) against no persistence',
  'logged-in': 'a logged-in read and write (token check, cart in the database) on PostgreSQL',
} as const;

/** The other measurements, each a section of its own. */
export const otherGroups = {
  'cookie-size': 'the cookie store’s cookie as the cart grows',
  'login-timing': 'a failed login for a wrong password against one for an unknown user',
  outage: 'a request while Redis or PostgreSQL is down',
  memory: 'MemoryStore bytes per session at scale',
  'file-store': 'the file store as its directory fills',
} as const;

export type ThroughputGroup = keyof typeof throughputGroups;
export type OtherGroup = keyof typeof otherGroups;
export type BenchGroup = ThroughputGroup | OtherGroup;

export const allGroups = [...Object.keys(throughputGroups), ...Object.keys(otherGroups)] as BenchGroup[];

export const quickGroups: BenchGroup[] = ['stores', 'nginx'];

/** The groups named by --only (comma or space separated), or a mode's default; an unknown name is an error naming the known ones. */
export function pickGroups(only: string[] | undefined, fallback: readonly BenchGroup[]): Set<BenchGroup> {
  if (!only || only.length === 0) return new Set(fallback);
  const names = only.flatMap((value) => value.split(/[,\s]+/)).filter(Boolean);
  for (const name of names) {
    if (!(allGroups as string[]).includes(name)) throw new Error(`--only: unknown group "${name}"; groups: ${allGroups.join(', ')}`);
  }
  return new Set(names as BenchGroup[]);
}

/** The groups' names and what each measures, for --help. */
export function describeGroups(): string {
  const width = Math.max(...allGroups.map((g) => g.length));
  return [...Object.entries(throughputGroups), ...Object.entries(otherGroups)].map(([name, what]) => `  ${name.padEnd(width)}  ${what}`).join('\n');
}
