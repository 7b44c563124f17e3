// The deck of `python -m lecture slides` (lecture/deck/templates/deck.html inlines this file): reveal.js shows one
// beat per slide; this script plays the current beat's clip from its start when the slide appears,
// lets it stop on its last frame, pauses every other clip, keeps the chapter outline current, and
// adds the keys a presenter needs. A chapter's questions follow its last beat in its column: no clip,
// their answer a fragment (the next step reveals it, as → / space / a click go on). Plain JavaScript,
// no request: the page works from file://.
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
    if (slide && slide.classList.contains("question")) {
      // not a step: the outline says which question of the chapter, and which step it follows
      where.textContent = "question " + slide.dataset.question + "/" + slide.dataset.questions +
        " · after step " + slide.dataset.after + "/" + deck.steps;
      fit(slide);
    } else if (slide) {
      where.textContent = "beat " + slide.dataset.beatNumber + "/" + deck.chapters[h].steps +
        " · step " + slide.dataset.step + "/" + deck.steps;
    }
    play(current);
  }

  // Shrink a question slide's text (its --fit, from 1 down to 0.5) until it fits the slide: an author's long
  // prompt or explanation must not run off it. Measured once shown (hidden slides have no layout); the
  // answer, hidden or not, keeps its place, so what fits before the reveal fits after it.
  function fit(slide) {
    var sheet = slide.querySelector(".sheet");
    if (!sheet || slide.dataset.fitted) return;
    var scale = 1;
    slide.style.removeProperty("--fit");
    while (scale > 0.5 && overflows(sheet)) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      slide.style.setProperty("--fit", String(scale));
    }
    slide.dataset.fitted = String(scale);
  }

  function overflows(sheet) {
    if (sheet.scrollHeight > sheet.clientHeight + 1 || sheet.scrollWidth > sheet.clientWidth + 1) return true;
    return Array.prototype.some.call(sheet.querySelectorAll(".ask, .choice"), function (box) {
      return box.scrollHeight > box.clientHeight + 1;
    });
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

  // A beat's place in its chapter: among the column's beats (its questions come after them).
  Array.prototype.forEach.call(document.querySelectorAll("section.chapter"), function (column) {
    Array.prototype.forEach.call(column.querySelectorAll("section.beat"), function (s, i) {
      s.dataset.beatNumber = String(i + 1);
    });
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
