// The README's scenario table is the catalogue's own: `lab list --markdown` prints it, and the
// committed table must say what the catalogue says, row for row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueMarkdown } from '../../runner/cli.ts';
import { projectRoot } from '../../runner/topology.ts';
import { scenarios } from '../../scenarios/index.ts';

/** The lines between the README's catalogue markers. */
function committedTable(readme: string): string {
  const match = /<!-- catalogue:start[^>]*-->\n([\s\S]*?)\n<!-- catalogue:end -->/.exec(readme);
  if (!match) throw new Error('README.md has no <!-- catalogue:start … --> … <!-- catalogue:end --> block');
  return match[1]!;
}

describe('the README scenario table', () => {
  it('is what `lab list --markdown` prints for the catalogue', () => {
    expect(committedTable(readFileSync(join(projectRoot, 'README.md'), 'utf8'))).toBe(catalogueMarkdown(scenarios));
  });

  it('differs when a scenario is added, renamed or changes its lesson (the check can fail)', () => {
    const table = catalogueMarkdown(scenarios);
    expect(catalogueMarkdown(scenarios.slice(1))).not.toBe(table);
    expect(catalogueMarkdown([{ ...scenarios[0]!, summary: 'another lesson' }, ...scenarios.slice(1)])).not.toBe(table);
  });

  it('keeps a | inside a lesson from opening a column', () => {
    const row = catalogueMarkdown([{ ...scenarios[0]!, summary: 'a | b' }]).split('\n')[2]!;
    expect(row.endsWith('| a \\| b |')).toBe(true);
  });
});
