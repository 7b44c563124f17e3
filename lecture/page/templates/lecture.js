(function () {
  var video = document.getElementById("lecture");
  var links = Array.prototype.slice.call(document.querySelectorAll("ol.chapters a, .transcript a"));
  var box = document.querySelector(".transcript-text"), shown = null;
  // Chapters are not shown by browsers' own controls; "hidden" still loads their cues for scripts.
  for (var i = 0; i < video.textTracks.length; i++) {
    if (video.textTracks[i].kind === "chapters") video.textTracks[i].mode = "hidden";
  }
  function seek(t) { video.currentTime = t; }
  links.forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      seek(parseFloat(a.dataset.start));
      history.replaceState(null, "", "#t=" + a.dataset.start);
      video.play();
    });
  });
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime;
    links.forEach(function (a) {
      var on = t >= parseFloat(a.dataset.start) && t < parseFloat(a.dataset.end);
      a.classList.toggle("current", on);
      // the transcript follows the video, within its own box (the page does not move)
      if (on && box && box.contains(a) && a !== shown) {
        shown = a;
        if (a.offsetTop < box.scrollTop || a.offsetTop + a.offsetHeight > box.scrollTop + box.clientHeight) {
          box.scrollTop = a.offsetTop - box.clientHeight / 3;
        }
      }
    });
  });
  var m = /^#t=([0-9.]+)$/.exec(location.hash);
  if (m) video.addEventListener("loadedmetadata", function () { seek(parseFloat(m[1])); }, { once: true });
})();
