// WebOTP: where the browser has it (Chrome on Android), the code of an SMS
// whose last line is "@<this host> #<code>" fills the code field by itself
// and the form is sent; the person only allows it. Browsers without it
// offer the code from autocomplete="one-time-code" (iOS), or the person
// types it. Nothing here leaves the page.
(function () {
  var input = document.getElementById("code");
  if (!input || !input.form || !("OTPCredential" in window)) { return; }
  var form = input.form;
  var ac = new AbortController();
  form.addEventListener("submit", function () { ac.abort(); });
  navigator.credentials.get({ otp: { transport: ["sms"] }, signal: ac.signal }).then(function (otp) {
    if (otp && otp.code && !input.value) {
      input.value = otp.code;
      form.submit();
    }
  }).catch(function () { /* aborted, refused or timed out: the person types it */ });
})();
