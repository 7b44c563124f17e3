// ESLint's configuration (flat config): `make test` and `make lint` check the JavaScript the lecture's
// page and the deck inline (lecture/page/templates/*.js, lecture/deck/templates/*.js) and the SCORM
// package's glue (lecture/package/templates/*.js) with ESLint's
// recommended rules. ESLint is pinned in package.json / package-lock.json and installed by
// scripts/vendor.sh --test, as reveal.js is. Run it alone:
//   node_modules/.bin/eslint lecture/page/templates lecture/deck/templates lecture/package/templates
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["lecture/page/templates/*.js", "lecture/deck/templates/*.js", "lecture/package/templates/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script", // inlined in a <script> element, not a module
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["lecture/deck/templates/deck.js"],
    languageOptions: {
      // reveal.js and its notes plugin, loaded by the deck's page before this script
      globals: { Reveal: "readonly", RevealNotes: "readonly" },
    },
  },
];
