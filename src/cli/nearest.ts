/** "Did you mean": the known names nearest to a misspelt one, by edit distance. */

export function editDistance(a: string, b: string): number {
  // one row of the table at a time: row[j] is the distance from a's first i characters to b's first j
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  let last = b.length;
  for (let i = 0; i < a.length; i++) {
    let diag = i; // the previous row's entry one column left
    let left = i + 1; // the new row's entry for the column before
    const next = [left];
    for (const [j, up] of row.slice(1).entries()) {
      left = Math.min(up + 1, left + 1, diag + (a[i] === b[j] ? 0 : 1));
      diag = up;
      next.push(left);
    }
    row = next;
    last = left;
  }
  return last;
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
