// Kinerja's own script: small behaviours that must not be inline (the
// Content-Security-Policy allows scripts from this origin only).
// <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
