// make lint: the front end's modules (static/) with ESLint's recommended rules, which catch a name used but never
// defined or imported (a worker that fails only when that line runs) and code that can never run. Pages and the
// worker run in different scopes: each file is given the globals of where it runs.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["static/sw.js"],
    languageOptions: { globals: globals.serviceworker },
  },
];
