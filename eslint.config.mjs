// ESLint (flat config) over the package's JavaScript and the mock shop's.
// The package's files are classic browser scripts: the site's assets, the
// scripts render writes into pages (generator/site/js/), and the functions the
// capture hands to a page (generator/capture/js/), each one function expression
// with its shared helpers included by a line (generator/jsfiles.py). The mock
// shop is ES modules.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "site/", "docs/", ".venv/", "tests/", "screenshots/"] },
  js.configs.recommended,
  {
    files: ["generator/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
    },
  },
  {
    files: ["mockshop/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
  },
];
