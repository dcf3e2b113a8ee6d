/**
 * cucumber's own HTML report of a run, with the verdict banner put on top and the charts of the
 * scenarios that did not pass unfolded.
 */
import type { Summary } from './summary';
import { REPORT_PAGES } from './report-pages';
import { BANNER_CSS, renderBanner } from './verdict-banner';

const INJECTED = { start: '<!-- dpe-verdict:start -->', end: '<!-- dpe-verdict:end -->' };

/**
 * Unfolds cucumber's <details> of each chart of a scenario that did not pass ("sequence chart
 * (fail).svg"): cucumber renders them later, and again when a filter changes, so it watches.
 */
const UNFOLD_SCRIPT = `
(function () {
  var notPassed = /^sequence chart \\((fail|error|inconclusive)\\)/;
  function unfold() {
    var all = document.querySelectorAll('#content details > summary');
    for (var i = 0; i < all.length; i++) {
      var d = all[i].parentElement;
      if (d.getAttribute('data-dpe-unfolded') || !notPassed.test(all[i].textContent.trim())) continue;
      d.setAttribute('data-dpe-unfolded', 'yes');
      d.open = true;
    }
  }
  function watch() {
    var root = document.getElementById('content');
    if (root) new MutationObserver(unfold).observe(root, { childList: true, subtree: true });
    unfold();
  }
  // the banner comes before cucumber's #content: wait for it
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
})();
`;

/**
 * cucumber's HTML report with the verdict banner on top and the charts of scenarios that did
 * not pass unfolded. Idempotent: a banner put there before is replaced.
 */
export function injectVerdict(cucumberHtml: string, s: Summary): string {
  const banner = renderBanner(s, {
    other: { href: REPORT_PAGES.index, label: 'the run report (verdict first, failures unfolded)' },
    note: "Below: cucumber's step-by-step view of the same run. Cucumber calls a scenario that does not apply to the ICS \u201cskipped\u201d and counts it in its percentage; the verdict is the one above.",
  });
  const block = `${INJECTED.start}\n<style>${BANNER_CSS}</style>\n${banner}\n<script>${UNFOLD_SCRIPT}</script>\n${INJECTED.end}\n`;
  let html = cucumberHtml;
  const a = html.indexOf(INJECTED.start);
  const b = html.indexOf(INJECTED.end);
  // what an earlier scoring put there, with the line break before it
  if (a >= 0 && b > a) html = html.slice(0, html[a - 1] === '\n' ? a - 1 : a) + html.slice(b + INJECTED.end.length + 1);
  // the first <body> is the template's: the messages come after it, inside a script
  const body = html.search(/<body[^>]*>/);
  if (body < 0) return block + html;
  const at = html.indexOf('>', body) + 1;
  return `${html.slice(0, at)}\n${block}${html.slice(at)}`;
}
