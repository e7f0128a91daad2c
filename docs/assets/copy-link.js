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
