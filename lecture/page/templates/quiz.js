/* The "check your understanding" questions of the lecture's page. templates/quiz.html lays out every
 * question from lecture/page/quiz.py's data, which is also inlined as JSON (the script element
 * #quiz-data); this script shows them, checks the answers and keeps the learner's results. Plain
 * JavaScript, no request: it works from file://.
 *
 * When playback crosses the end of a chapter that asks (two looks at a playing video, not a seek, on
 * either side of it), the video stops on the chapter's last frame and the panel beside it shows that
 * chapter's questions. A chapter ending with the video is asked when the video ends, with the questions
 * the learner left for later.
 * Results are kept in localStorage under the lecture's own key (quiz.py's storage_key): every file://
 * page shares one storage, and two lectures must not read each other's answers. The first answer
 * counts; a skipped question may still be answered.
 *
 * For other scripts (the SCORM glue) and the page's tests:
 *   document "lecturequiz" events, detail {type, score}: type "answer" after each checked answer,
 *   "skip" after each Skip, "complete" once every question has been answered or skipped; score
 *   {right, answered, skipped, total} counts the whole lecture (answered: right or wrong).
 *   window.__quiz = {ready, chapters(), open(segment), answer(id, value), check(id), state(), reset()}.
 */
(function () {
  "use strict";
  var root = document.getElementById("quiz");
  var dataEl = document.getElementById("quiz-data");
  var video = document.getElementById("lecture");
  if (!root || !dataEl || !video) return;
  var D;
  try {
    D = JSON.parse(dataEl.textContent);
  } catch {
    return;
  }
  if (!D || D.format !== 1) return;

  // Between two timeupdates of normal playback the video moves a quarter of a second; a longer step is
  // a seek (or a stall) and must not ask.
  var JUMP = 1.0;
  // The last chapter ends with the video (give or take a frame or the audio's length): it is asked at
  // "ended", which fires even when no timeupdate falls after its end.
  var END_SLACK = 0.5;
  // Where a chapter's questions leave the video: this much before its end, inside its last frame at up to
  // 50 frames a second (a chapter ends on a frame boundary).
  var BACK = 0.02;

  var stage = root.parentNode;
  var title = document.getElementById("quiz-title");
  var lede = document.getElementById("quiz-lede");
  var scoreEl = document.getElementById("quiz-score");
  var btnContinue = document.getElementById("quiz-continue");
  var btnSkip = document.getElementById("quiz-skip");
  var btnLater = document.getElementById("quiz-later");
  var keys = document.getElementById("quiz-keys");
  var bar = document.getElementById("quiz-bar");
  var barScore = document.getElementById("quiz-bar-score");

  var chapters = D.chapters;
  var Q = {}; // question id -> its data and elements
  var ids = []; // every question's id, in lecture order
  chapters.forEach(function (ch, i) {
    ch.el = root.querySelectorAll(".quiz-chapter")[i];
    ch.scoreEl = ch.el.querySelector(".quiz-chapter-score");
    ch.barEl = bar.querySelectorAll(".quiz-bar-chapter")[i];
    ch.ids = ch.questions.map(function (q) {
      var li = document.getElementById("quiz-q" + q.n);
      Q[q.id] = {
        q: q,
        chapter: ch,
        li: li,
        form: li.querySelector("form"),
        radios: Array.prototype.slice.call(li.querySelectorAll('input[type="radio"]')),
        labels: Array.prototype.slice.call(li.querySelectorAll(".quiz-choice")),
        input: li.querySelector('input[type="text"]'),
        check: li.querySelector(".quiz-check"),
        feedback: li.querySelector(".quiz-feedback"),
        verdict: li.querySelector(".quiz-verdict"),
        said: li.querySelector(".quiz-said"),
        explanation: li.querySelector(".quiz-explanation"),
        watch: li.querySelector(".quiz-watch"),
      };
      ids.push(q.id);
      return q.id;
    });
  });
  function chapterOf(segment) {
    return chapters.filter(function (ch) { return ch.segment === segment; })[0] || null;
  }

  // --- results, kept per lecture -------------------------------------------------------------------
  var results = {}; // id -> {result: "right" | "wrong" | "skipped", value: choice index or number, text: as shown}
  var later = {}; // id -> true: asked again when the video ends (this visit only)
  function load() {
    var saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(D.key) || "null");
    } catch {
      saved = null; // storage refused (a private window, a browser's file:// policy): this visit only
    }
    results = {};
    if (saved && saved.format === 1 && saved.results) {
      Object.keys(saved.results).forEach(function (id) {
        var r = kept(id, saved.results[id]);
        if (r) results[id] = r;
      });
    }
  }
  // A saved result, if it still fits its question: an author may have edited the bank since (same run,
  // same key), so a choice is found again by its text and a result whose choice is gone is dropped.
  function kept(id, r) {
    var E = Q[id];
    if (!E || !r) return null;
    if (r.result === "skipped") return { result: "skipped" };
    if (r.result !== "right" && r.result !== "wrong") return null;
    if (E.q.kind === "choice") {
      var i = E.q.choices.map(function (c) { return c.text; }).indexOf(r.text);
      return i < 0 ? null : { result: E.q.choices[i].correct ? "right" : "wrong", value: i, text: r.text };
    }
    if (typeof r.value !== "number" || !isFinite(r.value)) return null;
    return { result: r.result, value: r.value, text: String(r.text) };
  }
  function save() {
    try {
      localStorage.setItem(D.key, JSON.stringify({ format: 1, results: results }));
    } catch {
      // not kept: the page still works for this visit
    }
  }
  function tally(list) {
    var s = { right: 0, answered: 0, skipped: 0, total: list.length };
    list.forEach(function (id) {
      var r = results[id];
      if (!r) return;
      if (r.result === "skipped") s.skipped++;
      else {
        s.answered++;
        if (r.result === "right") s.right++;
      }
    });
    return s;
  }
  function scoreText(s) {
    var parts = [];
    if (s.answered) parts.push(s.right + " of " + s.answered + " right");
    if (s.skipped) parts.push(s.skipped + " skipped");
    var left = s.total - s.answered - s.skipped;
    if (left) parts.push(parts.length ? left + " to go" : left === 1 ? "1 question" : left + " questions");
    return parts.join(" · ");
  }
  function pending(id) {
    return !results[id];
  }

  // --- the events other scripts read ---------------------------------------------------------------
  var completed = false; // "complete" fires once, when the last question is answered or skipped
  function emit(type) {
    document.dispatchEvent(new CustomEvent("lecturequiz", { detail: { type: type, score: tally(ids) } }));
  }
  function maybeComplete() {
    var s = tally(ids);
    if (!completed && s.answered + s.skipped === s.total) {
      completed = true;
      emit("complete");
    }
  }

  // --- one question --------------------------------------------------------------------------------
  // A number as a learner types it: "0,25" or "0.25", "−3" (a true minus) or "-3", spaces and the unit
  // allowed; null when it is not one.
  function parseNumber(text, unit) {
    var t = String(text).trim();
    if (unit && t.slice(-unit.length) === unit) t = t.slice(0, -unit.length);
    t = t.replace(/[\u2212\u2012\u2013\u2014\ufe63\uff0d]/g, "-").replace(/[\s\u00a0\u202f']/g, "");
    if (/^[-+]?\d{1,3}(,\d{3})+\.\d*$/.test(t)) t = t.replace(/,/g, ""); // 1,234.5: a thousands comma
    else t = t.replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
    return parseFloat(t);
  }
  function shownNumber(x) {
    return String(Number(x.toPrecision(6))).replace("-", "\u2212");
  }
  function say(el, mark, text) {
    el.textContent = "";
    if (mark) {
      var m = document.createElement("span");
      m.className = "quiz-mark";
      m.setAttribute("aria-hidden", "true");
      m.textContent = mark + " ";
      el.appendChild(m);
    }
    el.appendChild(document.createTextNode(text));
  }
  // The question as its result says: inputs locked once answered, the feedback and the link to its beat.
  function paint(id) {
    var E = Q[id], q = E.q, r = results[id];
    var done = !!r && r.result !== "skipped";
    E.li.classList.toggle("quiz-right", !!r && r.result === "right");
    E.li.classList.toggle("quiz-wrong", !!r && r.result === "wrong");
    E.li.classList.toggle("quiz-skipped", !!r && r.result === "skipped");
    E.check.hidden = done;
    E.watch.hidden = !r;
    say(E.verdict, "", "");
    E.said.textContent = "";
    E.explanation.textContent = "";
    if (q.kind === "choice") {
      E.radios.forEach(function (x, i) {
        x.disabled = done;
        if (done) x.checked = i === r.value;
        E.labels[i].classList.toggle("quiz-answer", done && q.choices[i].correct);
        E.labels[i].classList.toggle("quiz-mistake", done && i === r.value && !q.choices[i].correct);
      });
    } else {
      E.input.readOnly = done;
      if (done) E.input.value = r.text;
    }
    if (!r) return;
    if (r.result === "skipped") {
      say(E.verdict, "", "Skipped: you can still answer it.");
      return;
    }
    var right = r.result === "right";
    if (q.kind === "choice") {
      var answer = q.choices.filter(function (c) { return c.correct; })[0];
      say(E.verdict, right ? "✓" : "✗", right ? "Right." : "Not quite: the answer is “" + answer.text + "”.");
      E.said.textContent = q.choices[r.value].feedback;
    } else {
      var unit = !q.unit ? "" : q.unit === "%" ? "%" : " " + q.unit; // 62%, 0.5 s
      var within = "anything within " + q.tolerance_text + " of it counts";
      say(E.verdict, right ? "✓" : "✗", right ? "Right: " + q.answer_text + unit + "." :
        "Not quite: the answer is " + q.answer_text + unit + ".");
      E.said.textContent = "You answered " + shownNumber(r.value) + unit + "; " + within + ".";
    }
    E.explanation.textContent = q.explanation;
  }
  function chosen(id) {
    var E = Q[id];
    if (E.q.kind === "choice") {
      for (var i = 0; i < E.radios.length; i++) if (E.radios[i].checked) return i;
      return null;
    }
    return parseNumber(E.input.value, E.q.unit);
  }
  // Check a question's answer (the first answer counts); null when there is none to check.
  function check(id) {
    var E = Q[id];
    if (!E) return null;
    var r = results[id];
    if (r && r.result !== "skipped") return r.result;
    var value = chosen(id);
    if (value === null) {
      say(E.verdict, "", E.q.kind === "choice" ? "Choose one of the answers first." :
        "Type a number first (for example 0.25 or −1,5).");
      return null;
    }
    var q = E.q;
    var right = q.kind === "choice" ? q.choices[value].correct :
      Math.abs(value - q.answer) <= q.tolerance * (1 + 1e-9) + 1e-12;
    var text = q.kind === "choice" ? q.choices[value].text : E.input.value;
    results[id] = { result: right ? "right" : "wrong", value: value, text: text };
    delete later[id];
    save();
    paint(id);
    refresh();
    if (!root.hidden && !E.li.hidden) E.feedback.focus();
    emit("answer");
    maybeComplete();
    return results[id].result;
  }

  // --- the panel -----------------------------------------------------------------------------------
  var shown = null; // {mode: "chapter" | "open" | "end", ids, resumeAt, resume}
  function play() {
    var p = video.play();
    if (p && p.catch) p.catch(function () {});
  }
  function refresh() {
    var all = tally(ids);
    scoreEl.textContent = all.answered || all.skipped ? "Your score for the lecture: " + scoreText(all) + "." :
      "The lecture asks " + scoreText(all) + "; none answered yet.";
    chapters.forEach(function (ch) {
      var text = scoreText(tally(ch.ids));
      ch.scoreEl.textContent = "· " + text;
      ch.barEl.textContent = text;
    });
    barScore.textContent = scoreText(all);
    if (!shown) return;
    var open = shown.ids.filter(pending).length > 0;
    btnSkip.hidden = !open;
    btnLater.hidden = !open || shown.mode === "end";
    keys.hidden = btnLater.hidden;
    btnContinue.hidden = open;
    btnContinue.textContent = shown.mode === "end" || !shown.resume ? "Close the questions" : "Continue the lecture";
  }
  // Show the questions of `sets` ([{chapter, ids}]), pausing the video; focus goes to the panel's title.
  function show(mode, sets, resume) {
    var list = [];
    chapters.forEach(function (ch) { ch.el.hidden = true; });
    sets.forEach(function (set) {
      set.chapter.el.hidden = false;
      set.chapter.ids.forEach(function (id) { Q[id].li.hidden = set.ids.indexOf(id) < 0; });
      list = list.concat(set.ids);
    });
    var n = list.length, what = n === 1 ? "one question" : n + " questions";
    lede.textContent = mode === "end" ? "The lecture has ended; here are the questions you left for later." :
      mode === "chapter" ? "“" + sets[0].chapter.title + "” has ended: " + what + " on it." :
      "Questions on “" + sets[0].chapter.title + "”.";
    shown = { mode: mode, ids: list, resumeAt: video.currentTime, resume: resume };
    root.hidden = false;
    stage.classList.add("quiz-open");
    refresh();
    title.focus();
  }
  function close(resume) {
    if (!shown) return;
    var s = shown;
    shown = null;
    root.hidden = true;
    stage.classList.remove("quiz-open");
    video.focus();
    if (resume && s.resume && !video.ended) {
      // back where the questions stopped it, if the learner went back to watch a moment
      if (video.currentTime < s.resumeAt) video.currentTime = s.resumeAt;
      play();
    }
  }
  function openChapter(segment) {
    var ch = chapterOf(segment);
    if (!ch) return false;
    var playing = !video.paused && !video.ended;
    video.pause();
    show("open", [{ chapter: ch, ids: ch.ids }], playing);
    return true;
  }
  function skip() {
    if (!shown) return;
    shown.ids.filter(pending).forEach(function (id) {
      results[id] = { result: "skipped" };
      delete later[id];
      paint(id);
    });
    save();
    refresh();
    emit("skip");
    maybeComplete();
    close(true);
  }
  function askLater() {
    if (!shown) return;
    shown.ids.filter(pending).forEach(function (id) { later[id] = true; });
    close(true);
  }

  ids.forEach(function (id) {
    var E = Q[id];
    E.form.addEventListener("submit", function (e) {
      e.preventDefault();
      check(id);
    });
    E.watch.addEventListener("click", function (e) {
      e.preventDefault();
      video.currentTime = parseFloat(E.watch.dataset.start);
      play();
      if (video.getBoundingClientRect().bottom < 0) video.scrollIntoView({ block: "nearest" });
    });
  });
  btnContinue.addEventListener("click", function () { close(true); });
  btnSkip.addEventListener("click", skip);
  btnLater.addEventListener("click", askLater);
  root.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !shown) return;
    e.preventDefault();
    if (!btnLater.hidden) askLater();
    else close(true);
  });
  Array.prototype.forEach.call(bar.querySelectorAll("button[data-segment]"), function (b) {
    b.addEventListener("click", function () { openChapter(b.dataset.segment); });
  });

  // --- when to ask ---------------------------------------------------------------------------------
  function atEnd(ch) {
    return isFinite(video.duration) && ch.end >= video.duration - END_SLACK;
  }
  function waiting(ch) {
    return ch.ids.filter(function (id) { return pending(id) && !later[id]; });
  }
  // Playback is watched every frame while the page is shown (timeupdate alone comes every quarter of a
  // second, and the next chapter's first words and caption would come first) and by timeupdate when it
  // is not (a background tab runs no animation frames).
  var last = null; // the time at the last look at playback (null after a seek)
  function look() {
    var t = video.currentTime;
    if (video.seeking) {
      last = null;
      return;
    }
    var prev = last;
    last = t;
    if (prev === null || video.paused || t <= prev || t - prev > JUMP * Math.max(1, video.playbackRate)) return;
    for (var i = 0; i < chapters.length; i++) {
      var ch = chapters[i];
      if (prev < ch.end && ch.end <= t && !atEnd(ch) && waiting(ch).length) {
        video.pause();
        // back onto the chapter's last frame: the frame and caption shown are the chapter's, not the next's
        video.currentTime = Math.max(prev, ch.end - BACK);
        show("chapter", [{ chapter: ch, ids: ch.ids }], true);
        return;
      }
    }
  }
  var watching = false; // one chain of animation frames at a time, however often "playing" fires
  function frame() {
    watching = !video.paused && !video.ended;
    if (!watching) return;
    look();
    requestAnimationFrame(frame);
  }
  video.addEventListener("seeking", function () { last = null; });
  video.addEventListener("timeupdate", look);
  video.addEventListener("playing", function () {
    if (!watching) {
      watching = true;
      requestAnimationFrame(frame);
    }
  });
  video.addEventListener("ended", function () {
    var sets = [];
    chapters.forEach(function (ch) {
      var asked = ch.ids.filter(function (id) { return pending(id) && (later[id] || atEnd(ch)); });
      if (asked.length) sets.push({ chapter: ch, ids: asked });
    });
    if (sets.length) show("end", sets, false);
  });

  function reset() {
    try {
      localStorage.removeItem(D.key);
    } catch {
      // nothing was kept
    }
    results = {};
    later = {};
    completed = false;
    ids.forEach(function (id) {
      var E = Q[id];
      if (E.input) E.input.value = "";
      E.radios.forEach(function (x) { x.checked = false; });
      paint(id);
    });
    close(false);
    refresh();
  }

  load();
  completed = tally(ids).answered + tally(ids).skipped === ids.length;
  ids.forEach(paint);
  refresh();
  bar.hidden = false;

  window.__quiz = {
    ready: true,
    chapters: function () {
      return chapters.map(function (ch) {
        return { segment: ch.segment, title: ch.title, end: ch.end, questions: ch.ids.slice(), score: tally(ch.ids) };
      });
    },
    open: openChapter,
    // A choice's index, or a number (or the text a learner would type); check(id) checks it.
    answer: function (id, value) {
      var E = Q[id];
      if (!E || (results[id] && results[id].result !== "skipped")) return false;
      if (E.q.kind === "choice") {
        if (!E.radios[value]) return false;
        E.radios[value].checked = true;
      } else {
        E.input.value = String(value);
      }
      return true;
    },
    check: check,
    state: function () {
      var out = {};
      ids.forEach(function (id) { if (results[id]) out[id] = results[id].result; });
      return { score: tally(ids), results: out };
    },
    reset: reset,
  };
})();
