// Review screen: jump to findings, keep the "add missed finding" time in step with the player.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var video = document.getElementById("inspection-video");
    if (!video) { return; }
    var playhead = document.getElementById("timeline-playhead");
    var timeField = document.getElementById("id_start_s");
    var duration = parseFloat(video.dataset.duration || "0");
    function jump(seconds) {
      video.currentTime = Math.max(0, seconds);
      video.focus();
      var promise = video.play();
      if (promise && promise.catch) { promise.catch(function () {}); }
    }
    document.body.addEventListener("click", function (event) {
      var target = event.target.closest("[data-jump]");
      if (!target) { return; }
      event.preventDefault();
      jump(parseFloat(target.dataset.jump));
    });
    video.addEventListener("timeupdate", function () {
      if (playhead && duration > 0) { playhead.style.left = Math.min(100, 100 * video.currentTime / duration) + "%"; }
      var out = document.getElementById("player-time");
      if (out) { out.textContent = video.currentTime.toFixed(1); }
    });
    video.addEventListener("pause", function () {
      if (timeField) { timeField.value = video.currentTime.toFixed(1); }
    });
    var useNow = document.getElementById("use-player-time");
    if (useNow) {
      useNow.addEventListener("click", function () { if (timeField) { timeField.value = video.currentTime.toFixed(1); timeField.focus(); } });
    }
  });
})();
