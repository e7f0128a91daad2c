// Clicking a section's "#" link also copies the full link, so a rule can be pasted into a
// design review as it is ("see BVB-2" plus its permanent address).
document.addEventListener("click", (event) => {
  const link = event.target.closest(".md-typeset .headerlink");
  if (!link || !navigator.clipboard) return;
  const url = new URL(link.getAttribute("href"), window.location.href).href;
  navigator.clipboard.writeText(url).then(() => {
    link.setAttribute("data-copied", "");
    link.title = "Link copied";
    setTimeout(() => link.removeAttribute("data-copied"), 1500);
  }, () => {});
});

// The Evidence page's filter: typing keeps only the claims whose row (id, verdict,
// statement, figures, sources, note) contains every word typed; empty shows them all.
const filter = document.getElementById("evidence-filter");
if (filter) {
  const rows = [...document.querySelectorAll(".md-typeset p[id]")].map((claim) => {
    const parts = [claim];
    for (let n = claim.nextElementSibling; n && !n.matches("p[id], h2"); n = n.nextElementSibling) {
      parts.push(n);
    }
    return { parts, text: parts.map((p) => p.textContent).join(" ").toLowerCase() };
  });
  const count = document.getElementById("evidence-filter-count");
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match = words.every((w) => row.text.includes(w));
      shown += match;
      for (const p of row.parts) p.hidden = !match;
    }
    count.textContent = words.length ? `${shown} of ${rows.length} claims` : "";
  });
}
