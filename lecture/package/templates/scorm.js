// SCORM 1.2 glue of the packaged lecture (python -m lecture package): reports the quiz to the LMS.
//
// The page's quiz fires document "lecturequiz" events, detail {type: "answer" | "skip" | "complete",
// score: {right, answered, skipped, total}}; "complete" once every question is answered or skipped.
// Each event sets cmi.core.score (0 to 100: right / total, rounded) and commits; "complete" sets
// cmi.core.lesson_status to "passed" or "failed" against the mastery score (the LMS's
// cmi.student_data.mastery_score, from the manifest's adlcp:masteryscore, else the script tag's
// data-mastery). A lecture without questions (or a page without the quiz) is "completed" when its
// video has played to the end. Without an LMS's API (the page opened from disk) nothing here runs.
//
// The package passes its data on the script tag: <script src="scorm.js" data-mastery="80"
// data-questions="4"> (the mastery score to fall back on, the questions the page asks).
(function () {
  "use strict";
  var data = (document.currentScript && document.currentScript.dataset) || {};
  var config = { mastery: parseFloat(data.mastery), questions: parseInt(data.questions, 10) || 0 };

  // The standard SCORM 1.2 search: this window and its parents, then the opener's (at most 500 steps;
  // a frame of another origin ends the search, since reading its properties throws).
  function scan(win) {
    for (var tries = 0; win && tries < 500; tries++) {
      try {
        if (win.API) return win.API;
        if (!win.parent || win.parent === win) return null;
        win = win.parent;
      } catch {
        return null;
      }
    }
    return null;
  }
  var api = scan(window) || (window.opener ? scan(window.opener) : null);
  if (!api || String(api.LMSInitialize("")) !== "true") return;

  function get(key) { return String(api.LMSGetValue(key)); }
  function set(key, value) { api.LMSSetValue(key, String(value)); }

  var started = Date.now(), finished = false, complete = false;
  var review = get("cmi.core.lesson_mode") === "review";  // a review changes nothing the LMS recorded
  var status = get("cmi.core.lesson_status");
  var mastery = parseFloat(get("cmi.student_data.mastery_score"));
  if (!(mastery >= 0 && mastery <= 100)) mastery = config.mastery >= 0 ? config.mastery : 80;
  if (!review && status !== "completed" && status !== "passed") {
    set("cmi.core.lesson_status", "incomplete");
    api.LMSCommit("");
  }

  document.addEventListener("lecturequiz", function (event) {
    var detail = event.detail || {}, score = detail.score || {};
    if (review || finished || !(score.total > 0)) return;
    var raw = Math.round((100 * score.right) / score.total);
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", raw);
    if (detail.type === "complete") {
      complete = true;
      // a lecture once passed stays passed: a later, weaker try does not fail it
      if (raw >= mastery) set("cmi.core.lesson_status", "passed");
      else if (get("cmi.core.lesson_status") !== "passed") set("cmi.core.lesson_status", "failed");
    }
    api.LMSCommit("");
  });

  // Without questions to answer (none in the bank, or a page without the quiz: no window.__quiz),
  // watching the video to its end completes the lecture.
  var video = document.querySelector("video");
  if (video) video.addEventListener("ended", function () {
    if (review || finished || complete || (config.questions > 0 && window.__quiz)) return;
    complete = true;
    if (get("cmi.core.lesson_status") !== "passed") set("cmi.core.lesson_status", "completed");
    api.LMSCommit("");
  });

  // cmi.core.session_time is a CMITimespan: HHHH:MM:SS (two to four digits of hours).
  function timespan(ms) {
    var s = Math.min(Math.floor(ms / 1000), 9999 * 3600 + 3599);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }

  function finish() {
    if (finished) return;
    finished = true;
    set("cmi.core.session_time", timespan(Date.now() - started));
    api.LMSCommit("");
    api.LMSFinish("");
  }
  window.addEventListener("pagehide", finish);
  if (!("onpagehide" in window)) window.addEventListener("unload", finish);
})();
