// The front door and the guides must not point nowhere: every relative link and image in
// README.md, ARCHITECTURE.md and docs/*.md names a file that exists, and every #anchor a heading
// of the page it names (as GitHub makes anchors of headings).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../runner/topology.ts';

const pages = ['README.md', 'ARCHITECTURE.md', ...readdirSync(join(projectRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped (but - and _), spaces to -. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings (a repeated heading gets -1, -2, … as on GitHub). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1]!);
    const seen = counts.get(base) ?? 0;
    anchors.add(seen === 0 ? base : `${base}-${seen}`);
    counts.set(base, seen + 1);
  }
  return anchors;
}

/** Every link and image target outside code: [text](target) and ![alt](target). */
export function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

describe('links in the README and the guides', () => {
  it.each(pages)('%s: every relative link and anchor resolves', (page) => {
    const text = readFileSync(join(projectRoot, page), 'utf8');
    const broken: string[] = [];
    for (const target of linksOf(text)) {
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? join(projectRoot, page) : resolve(dirname(join(projectRoot, page)), decodeURIComponent(path));
      if (!existsSync(file)) {
        broken.push(`${target}: no file ${relative(projectRoot, file)}`);
        continue;
      }
      if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${target}: no heading with the anchor #${anchor} in ${relative(projectRoot, file)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds a broken link, a broken anchor and an image that is missing (the check can fail)', () => {
    const page = '# Title\n\n## Two words\n\n[ok](#two-words) [bad](#three-words) ![x](docs/none.png) `[not](a-link.md)`';
    expect(linksOf(page)).toEqual(['#two-words', '#three-words', 'docs/none.png']);
    expect(anchorsOf(page)).toEqual(new Set(['title', 'two-words']));
    expect(headingAnchor('A node cut off from its store, and the remedy')).toBe('a-node-cut-off-from-its-store-and-the-remedy');
    expect(headingAnchor('`lab check`: your app')).toBe('lab-check-your-app');
  });
});
