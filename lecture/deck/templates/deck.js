// The deck of `python -m lecture slides` (lecture/deck/templates/deck.html inlines this file): reveal.js shows one
// beat per slide; this script plays the current beat's clip from its start when the slide appears,
// lets it stop on its last frame, pauses every other clip, keeps the chapter outline current, and
// adds the keys a presenter needs. Plain JavaScript, no request: the page works from file://.
(function () {
  "use strict";
  var deck = JSON.parse(document.getElementById("deck-data").textContent);
  var links = Array.prototype.slice.call(document.querySelectorAll("nav.outline a"));
  var where = document.querySelector("nav.outline .where");
  var blocked = false; // the browser refused to start a clip without a key press or click
  var receiver = /receiver/i.test(window.location.search); // a preview inside reveal.js's speaker view

  function clip(slide) {
    return slide ? slide.querySelector("video.beat") : null;
  }

  // Play a beat's clip from its first frame; it stops by itself on its last one.
  function play(video) {
    if (!video) return;
    if (!video.getAttribute("src") && video.dataset.src) video.src = video.dataset.src;
    try {
      video.currentTime = 0;
    } catch {
      // not loaded yet: it starts at 0 anyway
    }
    var started = video.play();
    if (started && started.catch) {
      started.catch(function (error) {
        // Autoplay refused (a clip with sound, before any key press); an interrupted play() is no refusal.
        if (!error || error.name !== "NotAllowedError" || receiver) return;
        blocked = true;
        document.body.classList.add("blocked");
      });
    }
  }

  function show() {
    var slide = Reveal.getCurrentSlide();
    var current = clip(slide);
    document.querySelectorAll("video.beat").forEach(function (v) {
      if (v !== current && !v.paused) v.pause();
    });
    var h = Reveal.getIndices().h;
    links.forEach(function (a, i) {
      a.classList.toggle("current", i === h);
      if (i === h) a.setAttribute("aria-current", "step");
      else a.removeAttribute("aria-current");
    });
    if (slide) {
      where.textContent = "beat " + slide.dataset.beatNumber + "/" + deck.chapters[h].steps +
        " · step " + slide.dataset.step + "/" + deck.steps;
    }
    play(current);
  }

  // The first key press or click after the browser refused to play starts the beat (and does nothing else).
  function unblock(event) {
    if (!blocked) return;
    blocked = false;
    document.body.classList.remove("blocked");
    event.preventDefault();
    event.stopImmediatePropagation();
    play(clip(Reveal.getCurrentSlide()));
  }
  window.addEventListener("keydown", unblock, true);
  window.addEventListener("pointerdown", unblock, true);

  Array.prototype.forEach.call(document.querySelectorAll("section.beat"), function (s) {
    s.dataset.beatNumber = String(Array.prototype.indexOf.call(s.parentNode.children, s) + 1);
  });

  Reveal.initialize({
    width: deck.width,
    height: deck.height,
    margin: 0,
    minScale: 0.05,
    maxScale: 8,
    center: false,
    embedded: true,
    hash: true,
    navigationMode: "linear", // → and space walk through every beat; the chapters are the columns
    controls: true,
    controlsTutorial: false,
    progress: true,
    transition: "none",
    backgroundTransition: "none",
    autoPlayMedia: false, // this script plays the current beat
    viewDistance: 2,
    mobileViewDistance: 2,
    plugins: [RevealNotes],
  }).then(function () {
    Reveal.on("slidechanged", show);
    Reveal.addKeyBinding({ keyCode: 82, key: "R", description: "Replay this beat" }, function () {
      play(clip(Reveal.getCurrentSlide()));
    });
    Reveal.addKeyBinding({ keyCode: 75, key: "K", description: "Pause or resume this beat" }, function () {
      var v = clip(Reveal.getCurrentSlide());
      if (!v) return;
      if (v.ended) play(v);
      else if (v.paused) v.play();
      else v.pause();
    });
    // A click on the picture goes on, as → does.
    document.querySelector(".reveal .slides").addEventListener("click", function () {
      Reveal.next();
    });
    links.forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        Reveal.slide(parseInt(a.dataset.h, 10), 0);
      });
    });
    show();
  });
})();
