// The query form: choosing a canned query puts its text in the box (the page works without
// this script: the box holds the first canned query, and any query can be typed).
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("canned-select");
  const text = document.getElementById("query-text");
  if (!select || !text) return;
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    if (option && option.dataset.query) text.value = option.dataset.query;
  });
});
