// "Use this answer" on the case page: copy a knowledge article's standard answer into
// the first reply box the page offers (answer, resolution, then the internal note).
// The suggestions arrive by htmx after the page, so the buttons are wired on each swap.
// Without JavaScript the buttons stay hidden and the answer is there to copy.
function wireKnowledgeButtons() {
  const targets = ["id_answer_reason", "id_resolve_reason", "id_text"];
  const box = () => targets.map((id) => document.getElementById(id)).find(Boolean);
  document.querySelectorAll("[data-kb-use]:not([data-kb-wired])").forEach((button) => {
    button.dataset.kbWired = "1";
    if (!box()) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const target = box();
      target.value = button.dataset.kbUse;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  });
}
document.addEventListener("DOMContentLoaded", wireKnowledgeButtons);
document.addEventListener("htmx:afterSettle", wireKnowledgeButtons);
