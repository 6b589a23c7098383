import { afterAll } from 'vitest';
import { makeTempDir } from '../../runner/temp-dir.ts';

const created: { remove(): Promise<void> }[] = [];

afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => dir.remove()));
});

/** A temp dir removed when the importing test file is done. */
export async function testTempDir(prefix: string): Promise<string> {
  const dir = await makeTempDir(prefix);
  created.push(dir);
  return dir.path;
}
