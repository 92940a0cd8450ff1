// Kinerja's own script: small behaviours that must not be inline (the
// Content-Security-Policy allows scripts from this origin only).
// <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});

// Pickers (org/_picker.html): typing in the search field forgets the earlier
// choice; clicking a match puts its id in the hidden field and its name in
// the search field. Without this script the search field is submitted as typed
// (a NIP or code), and the server looks it up.
document.addEventListener("input", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-picker-text]")) {
    var picker = target.closest("[data-picker]");
    var hidden = picker && picker.querySelector("[data-picker-value]");
    if (hidden) {
      hidden.value = "";
    }
  }
});
document.addEventListener("click", function (event) {
  var option = event.target && event.target.closest && event.target.closest("[data-picker-choose]");
  if (!option) {
    return;
  }
  var picker = option.closest("[data-picker]");
  if (!picker) {
    return;
  }
  picker.querySelector("[data-picker-value]").value = option.getAttribute("data-value");
  var text = picker.querySelector("[data-picker-text]");
  text.value = option.getAttribute("data-label");
  picker.querySelector(".picker-results").innerHTML = "";
  text.dispatchEvent(new Event("change", { bubbles: true }));
  text.focus();
});
