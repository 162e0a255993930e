// Continues by itself only in the browser that asked for the link (the
// server adds this script only then); a mail scanner never has that cookie.
(function () {
  var f = document.getElementById("continue");
  if (f && f.dataset.auto === "1") { f.submit(); }
})();
