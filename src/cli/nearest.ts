/** "Did you mean": the known names nearest to a misspelt one, by edit distance. */

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Up to `n` known names nearest to `word`, nearest first (a prefix or substring match counts as near). */
export function nearest(word: string, known: Iterable<string>, n = 3): string[] {
  const w = word.toLowerCase();
  const scored = [...new Set(known)].map((k) => {
    const kl = k.toLowerCase();
    const d = kl.includes(w) || w.includes(kl) ? Math.abs(kl.length - w.length) / 4 : editDistance(w, kl);
    return { k, d };
  });
  // a suggestion further than half the word away is noise
  const limit = Math.max(2, Math.ceil(w.length / 2));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((s) => s.k);
}

/** " (did you mean X or Y?)", or "" when nothing is near. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const near = nearest(word, known);
  return near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
}
